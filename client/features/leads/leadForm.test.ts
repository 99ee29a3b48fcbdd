import { describe, expect, it } from 'vitest';
import { CONSENT_TEXT_VERSION } from '../../../shared/lead.js';
import { CONTACT_KEY, errorsFromIssues, loadContact, saveContact, todayIso, toSubmission, validateLead, type LeadFormValues } from './leadForm.js';

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
  it('asks a phone number for a call back only', () => {
    expect(check({ phone: '' }, 'callback')).toMatchObject({ phone: 'lead.error.phoneRequired' });
  });
  it('refuses a test-drive date in the past, in the viewer’s calendar', () => {
    expect(check({ preferredDate: '2026-11-30' })).toMatchObject({ preferredDate: 'lead.error.date' });
    expect(check({ preferredDate: '2026-12-01' })).toEqual({});
    expect(check({ preferredDate: '2027-12-01' })).toEqual({});
    expect(check({ preferredDate: '2027-12-02' })).toMatchObject({ preferredDate: 'lead.error.dateFar' });
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
  it('keeps name, email, phone and postcode, never the consents', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    saveContact(storage, { ...filled, marketing: true });
    expect(JSON.parse(data.get(CONTACT_KEY)!)).toEqual({ firstName: 'Camille', lastName: 'Martin', email: 'camille.martin@exemple.fr', phone: '06 12 34 56 78', postcode: '69003' });
    expect(loadContact(storage)).toEqual({ firstName: 'Camille', lastName: 'Martin', email: 'camille.martin@exemple.fr', phone: '06 12 34 56 78', postcode: '69003' });
    data.set(CONTACT_KEY, '{not json');
    expect(loadContact(storage)).toEqual({});
  });
});
