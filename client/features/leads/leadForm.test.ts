import { describe, expect, it } from 'vitest';
import { CONSENT_TEXT_VERSION } from '../../../shared/lead.js';
import { CONTACT_KEY, errorsFromIssues, latestDayIso, loadContact, rememberContact, todayIso, toSubmission, validateLead, type LeadFormValues } from './leadForm.js';

const ID = '0b6f1c1e-8a4e-4c1b-9d6e-2f1a3b4c5d6e';
const filled: LeadFormValues = {
  firstName: ' Camille ',
  lastName: 'Martin',
  email: 'camille.martin@exemple.fr',
  phone: '06 12 34 56 78',
  postcode: '69003',
  dealerId: null,
  preferredDate: '',
  variant: 'bleu-abysse',
  message: '',
  contact: true,
  marketing: false,
};

describe('toSubmission', () => {
  it('builds the payload a type asks for, with the consent version and without blanks', () => {
    const p = toSubmission(ID, 'brochure', { ...filled, preferredDate: '2099-01-02' }, 'Bleu Abysse');
    expect(p).toEqual({
      id: ID,
      type: 'brochure',
      firstName: 'Camille',
      lastName: 'Martin',
      email: 'camille.martin@exemple.fr',
      phone: '06 12 34 56 78',
      postcode: '69003',
      variant: 'Bleu Abysse',
      consent: { contact: true, marketing: false, textVersion: CONSENT_TEXT_VERSION },
    });
    expect(toSubmission(ID, 'test_drive', { ...filled, preferredDate: '2099-01-02', dealerId: 'lyon-3' }, null)).toMatchObject({ preferredDate: '2099-01-02', dealerId: 'lyon-3' });
  });
});

describe('validateLead', () => {
  const check = (v: Partial<LeadFormValues>, type: 'test_drive' | 'callback' = 'test_drive') => validateLead(toSubmission(ID, type, { ...filled, ...v }, null), '2026-12-01');

  it('accepts a French number typed the French way', () => {
    expect(check({})).toEqual({});
    expect(check({ phone: '+33 6 12 34 56 78' })).toEqual({});
    expect(check({ phone: '' })).toEqual({});
  });
  it('puts each problem on its field, in the viewer’s words', () => {
    expect(check({ firstName: '  ', email: 'camille@', phone: '06 12', postcode: '6900', contact: false })).toEqual({
      firstName: 'lead.error.firstName',
      email: 'lead.error.email',
      phone: 'lead.error.phone',
      postcode: 'lead.error.postcode',
      contact: 'lead.error.consent',
      form: 'lead.error.form',
    });
  });
  it('says a five-digit code that no French postcode starts like is no postcode, not "5 digits"', () => {
    for (const postcode of ['99999', '00000', ' 99000 ']) expect(check({ postcode })).toMatchObject({ postcode: 'lead.error.postcodeUnknown' });
    expect(check({ postcode: '690' })).toMatchObject({ postcode: 'lead.error.postcode' });
  });
  it('asks for a postcode unless a dealer was picked by name: without either a request reaches no dealer', () => {
    expect(check({ postcode: '' })).toMatchObject({ postcode: 'lead.error.postcodeRequired', form: 'lead.error.form' });
    expect(check({ postcode: '  ' })).toMatchObject({ postcode: 'lead.error.postcodeRequired' });
    expect(check({ postcode: '', dealerId: 'lyon-1' })).toEqual({});
  });
  it('asks a phone number for a call back only', () => {
    expect(check({ phone: '' }, 'callback')).toMatchObject({ phone: 'lead.error.phoneRequired' });
  });
  it('refuses a test-drive date in the past, in the viewer’s calendar', () => {
    expect(check({ preferredDate: '2026-11-30' })).toMatchObject({ preferredDate: 'lead.error.date' });
    expect(check({ preferredDate: '2026-12-01' })).toEqual({});
    expect(check({ preferredDate: '2027-12-02' })).toEqual({}); // 366 days ahead, as the server allows
    expect(check({ preferredDate: '2027-12-03' })).toMatchObject({ preferredDate: 'lead.error.dateFar' });
    expect(latestDayIso('2027-03-01')).toBe('2028-03-01'); // across a 29 February
    expect(todayIso(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});

describe('errorsFromIssues (the server’s invalid_payload)', () => {
  it('maps issue paths to fields and anything else to the form', () => {
    const payload = toSubmission(ID, 'test_drive', filled, null);
    expect(errorsFromIssues([{ path: ['consent', 'contact'], message: 'x' }, { path: ['dealerId'], message: 'unknown dealer' }], payload)).toEqual({
      contact: 'lead.error.consent',
      dealerId: 'lead.error.dealer',
      form: 'lead.error.form',
    });
    expect(errorsFromIssues([{ path: [], message: 'unknown event' }], payload)).toEqual({ form: 'lead.error.refused' });
    expect(errorsFromIssues([], payload)).toEqual({});
  });
});

describe('remembered contact details', () => {
  const device = () => {
    const data = new Map<string, string>();
    return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
  };
  const contact = { firstName: 'Camille', lastName: 'Martin', email: 'camille.martin@exemple.fr', phone: '06 12 34 56 78', postcode: '69003' };

  it('keeps name, email, phone and postcode only when asked to, never the consents', () => {
    const storage = device();
    rememberContact(storage, { ...filled, marketing: true }, false);
    expect(storage.data.has(CONTACT_KEY)).toBe(false);
    rememberContact(storage, { ...filled, marketing: true }, true);
    expect(JSON.parse(storage.data.get(CONTACT_KEY)!)).toEqual({ optIn: true, ...contact });
    expect(loadContact(storage)).toEqual(contact);
  });
  it('forgets them on the next request made without ticking the box', () => {
    const storage = device();
    rememberContact(storage, filled, true);
    rememberContact(storage, { ...filled, firstName: 'Léa' }, false);
    expect(storage.data.has(CONTACT_KEY)).toBe(false);
    expect(loadContact(storage)).toEqual({});
  });
  it('forgets details stored before remembering was a choice, and damaged ones', () => {
    const storage = device();
    storage.data.set(CONTACT_KEY, JSON.stringify(contact));
    expect(loadContact(storage)).toEqual({});
    expect(storage.data.has(CONTACT_KEY)).toBe(false);
    storage.data.set(CONTACT_KEY, '{not json');
    expect(loadContact(storage)).toEqual({});
    expect(storage.data.has(CONTACT_KEY)).toBe(false);
  });
});
