/**
 * What the lead burst sends: a small dealer directory across France, and test-drive requests as
 * French viewers fill them in (accented names, phones typed "06 12 34 56 78", real postcodes).
 */
import { randomUUID } from 'node:crypto';
import { CONSENT_TEXT_VERSION, type DealerInput, type LeadSubmitInput } from '../../shared/lead.js';

type Dealer = Omit<DealerInput, 'address'> & { address: string };
const dealer = (id: string, name: string, address: string, postcode: string, city: string, latitude: number, longitude: number, phone?: string): Dealer => ({
  id, name, address, postcode, city, latitude, longitude, email: `ventes@${id}.example.fr`, ...(phone ? { phone } : {}),
});

/** 20 dealers, one or two per region, with their city centre's coordinates. */
export const DEALERS: Dealer[] = [
  dealer('paris-bastille', 'Auto Bastille', '3 rue de la Roquette', '75011', 'Paris', 48.8553, 2.3713, '01 43 00 00 00'),
  dealer('lyon-perrache', 'Garage du Rhône', '12 quai Perrache', '69002', 'Lyon', 45.749, 4.826, '04 78 00 00 00'),
  dealer('marseille-michelet', 'Méditerranée Automobiles', '40 boulevard Michelet', '13008', 'Marseille', 43.26, 5.395),
  dealer('toulouse-capitole', 'Occitanie Autos', '8 allée Jean-Jaurès', '31000', 'Toulouse', 43.6045, 1.444, '05 61 00 00 00'),
  dealer('bordeaux-chartrons', 'Garonne Automobiles', '55 quai des Chartrons', '33000', 'Bordeaux', 44.8378, -0.5792),
  dealer('nantes-erdre', 'Garage de l’Erdre', '2 rue de Strasbourg', '44000', 'Nantes', 47.2184, -1.5536, '02 40 00 00 00'),
  dealer('lille-flandres', 'Flandres Automobiles', '17 rue Faidherbe', '59000', 'Lille', 50.6292, 3.0573),
  dealer('strasbourg-ill', 'Garage de l’Ill', '9 quai Saint-Nicolas', '67000', 'Strasbourg', 48.5734, 7.7521, '03 88 00 00 00'),
  dealer('nice-promenade', 'Côte d’Azur Automobiles', '101 promenade des Anglais', '06000', 'Nice', 43.7102, 7.262),
  dealer('montpellier-lez', 'Garage du Lez', '4 avenue de la Pompignane', '34000', 'Montpellier', 43.6108, 3.8767),
  dealer('rennes-vilaine', 'Bretagne Auto Rennes', '21 quai Émile-Zola', '35000', 'Rennes', 48.1173, -1.6778, '02 99 00 00 00'),
  dealer('dijon-darcy', 'Bourgogne Automobiles', '6 place Darcy', '21000', 'Dijon', 47.322, 5.0415),
  dealer('grenoble-isere', 'Alpes Dauphiné Autos', '30 cours Jean-Jaurès', '38000', 'Grenoble', 45.1885, 5.7245),
  dealer('tours-loire', 'Garage de la Loire', '11 quai d’Orléans', '37000', 'Tours', 47.3941, 0.6848),
  dealer('brest-iroise', 'Iroise Automobiles', '14 rue de Siam', '29200', 'Brest', 48.3904, -4.4861, '02 98 00 00 00'),
  dealer('pau-bearn', 'Béarn Automobiles', '7 boulevard des Pyrénées', '64000', 'Pau', 43.2951, -0.3708),
  dealer('limoges-vienne', 'Limousin Autos', '19 avenue Garibaldi', '87000', 'Limoges', 45.8336, 1.2611),
  dealer('clermont-volcans', 'Garage des Volcans', '25 place de Jaude', '63000', 'Clermont-Ferrand', 45.7772, 3.087),
  dealer('reims-champagne', 'Champagne Automobiles', '13 boulevard Lundy', '51100', 'Reims', 49.2583, 4.0317),
  dealer('rouen-seine', 'Garage de Seine', '5 quai de la Bourse', '76000', 'Rouen', 49.4432, 1.0999),
];

/** Real postcodes (all in server/geo's table), from every corner of mainland France and Corsica. */
const POSTCODES = (
  '75001 75008 75011 75015 75020 92100 93200 94000 78000 91000 95000 77000 69003 69007 13001 13008 31000 31400 33000 33800 ' +
  '44000 59000 59100 67000 06000 06400 34000 35000 21000 38000 37000 29200 64000 87000 63000 51100 76000 14000 45000 49000 ' +
  '72000 80000 86000 25000 57000 54000 66000 83000 84000 30000 17000 42000 68100 74000 20000 56100 22000 62100 60000 10000'
).split(' ');
const FIRST = 'Éloïse Hélène Jérôme François Zoé Maëlle Noël Gaëtan Anaïs Loïc Céline Benoît Clément Léa Chloé Théo Agnès Jérémie Amélie Raphaël Inès Aurélien Océane Cédric Gwenaëlle Stéphane Frédérique Joël Ophélie Mathéo'.split(' ');
const LAST = ['Dupré', 'Lefèvre', 'Bénard', 'Gérard', 'Lemaître', 'Hébert', 'Pérez', 'Ménard', 'Crémieux', 'Dubœuf', 'Léonard', 'Faure', 'Le Goff', 'Mercier', 'Rousseau', 'Lévêque', 'N’Diaye', 'Château', 'Da Silva', 'Nguyen', 'Kerjean-Lozac’h', 'Müller'];
const MESSAGES = ['Disponible plutôt le samedi matin.', 'Je voudrais essayer la version longue autonomie, si possible.', 'Joignable après 18 h, merci !', 'Nous viendrons à deux, avec un siège bébé.'];

const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(Math.random() * xs.length)]!;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
/** For an email address: "Dubœuf" → "duboeuf", "N’Diaye" → "ndiaye". */
const ascii = (s: string): string => s.normalize('NFD').replace(/œ/g, 'oe').toLowerCase().replace(/[^a-z]/g, '');

/** A French mobile as people type it: 06 or 07, in pairs (prefixes the numbering plan allocates). */
function mobile(): string {
  const first = Math.random() < 0.7 ? `6${pick('01245678')}` : `7${pick('3456789')}`;
  const rest = digits(7);
  return `0${first[0]} ${first[1]}${rest[0]} ${rest.slice(1, 3)} ${rest.slice(3, 5)} ${rest.slice(5, 7)}`;
}

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** A test-drive request with a fresh UUID, as the viewer's form sends it. */
export function testDriveLead(variant: string | undefined): LeadSubmitInput {
  const firstName = pick(FIRST);
  const lastName = pick(LAST);
  return {
    id: randomUUID(),
    type: 'test_drive',
    firstName,
    lastName,
    email: `${ascii(firstName)}.${ascii(lastName)}${digits(2)}@${pick(['example.fr', 'example.com'])}`,
    phone: mobile(),
    postcode: pick(POSTCODES),
    preferredDate: PARIS_DAY.format(new Date(Date.now() + (2 + Math.floor(Math.random() * 12)) * 86_400_000)),
    ...(variant ? { variant } : {}),
    ...(Math.random() < 0.3 ? { message: pick(MESSAGES) } : {}),
    consent: { contact: true, marketing: Math.random() < 0.4, textVersion: CONSENT_TEXT_VERSION },
  };
}
