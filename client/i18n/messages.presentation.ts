/**
 * The presentation's strings (spread into messages.ts): chapters, hotspots and variants, on
 * the presenter's console and the viewers' screens. French is the reference.
 */
export const presentationFr = {
  'hotspot.marker': 'Point d’intérêt : {title}',
  'hotspot.close': 'Fermer',
  'hotspot.cardLabel': 'Détail : {title}',
  'hotspot.presenterShows': 'Montré par le présentateur',
  'hotspot.ctaHint': 'Intéressé·e ? En un clic :',
  'agenda.title': 'Déroulé',
  'agenda.position': 'Chapitre {n} sur {total}',
  'agenda.current': 'en cours',
  'agenda.show': 'Voir le déroulé',
  'agenda.hide': 'Masquer le déroulé',
  'host.agenda': 'Déroulé de la présentation',
  'host.agendaEmpty': 'Aucun chapitre : définissez-les dans le studio (Mise en scène).',
  'host.prev': 'Chapitre précédent',
  'host.next': 'Chapitre suivant',
  'host.agendaKeys': 'Télécommande ou clavier : Page suivante / Page précédente.',
  'host.hotspots': 'Points d’intérêt',
  'host.hotspotShow': 'Montrer à tous',
  'host.hotspotShown': 'Affiché',
  'host.hotspotHide': 'Fermer la fiche',
  'host.variants': 'Teinte',
} as const;

export const presentationEn: Record<keyof typeof presentationFr, string> = {
  'hotspot.marker': 'Point of interest: {title}',
  'hotspot.close': 'Close',
  'hotspot.cardLabel': 'Detail: {title}',
  'hotspot.presenterShows': 'Shown by the presenter',
  'hotspot.ctaHint': 'Interested? One tap:',
  'agenda.title': 'Agenda',
  'agenda.position': 'Chapter {n} of {total}',
  'agenda.current': 'now',
  'agenda.show': 'Show the agenda',
  'agenda.hide': 'Hide the agenda',
  'host.agenda': 'Presentation agenda',
  'host.agendaEmpty': 'No chapters: define them in the studio (Staging).',
  'host.prev': 'Previous chapter',
  'host.next': 'Next chapter',
  'host.agendaKeys': 'Clicker or keyboard: Page Down / Page Up.',
  'host.hotspots': 'Points of interest',
  'host.hotspotShow': 'Show everyone',
  'host.hotspotShown': 'Shown',
  'host.hotspotHide': 'Close the card',
  'host.variants': 'Paint',
};
