import type { ErrorBody } from '../../../shared/errors.js';
import type { LeadSubmitInput } from '../../../shared/lead.js';
import type { Vehicle } from '../../../shared/vehicle.js';
import type { MessageKey } from '../../i18n/messages.js';
import { NAME_KEY } from '../qa/AskForm.js';
import { errorsFromIssues, loadContact, localStore, type FieldErrors, type LeadFormValues } from './leadForm.js';

/** A stored request's payload back into the form (refused: the viewer only fixes what is wrong). */
export function valuesFrom(p: LeadSubmitInput, vehicle: Vehicle, fallbackVariant: string): LeadFormValues {
  // Optional fields are `unknown` in the schema's input type (blank strings are preprocessed).
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    email: p.email,
    phone: text(p.phone),
    postcode: text(p.postcode),
    dealerId: text(p.dealerId) || null,
    preferredDate: text(p.preferredDate),
    variant: vehicle.variants.find((v) => v.name === p.variant)?.id ?? fallbackVariant,
    message: text(p.message),
    contact: p.consent.contact === true,
    marketing: p.consent.marketing === true,
  };
}

/** A new form: the contact details this device was asked to remember, if any. */
export function freshValues(variant: string): LeadFormValues {
  const store = localStore();
  const remembered = loadContact(store);
  let firstName = remembered.firstName ?? '';
  // The first name given when entering the launch, if this device remembers no details.
  if (!firstName) {
    try {
      firstName = store?.getItem(NAME_KEY) ?? '';
    } catch {
      /* nothing to offer */
    }
  }
  return {
    firstName,
    lastName: remembered.lastName ?? '',
    email: remembered.email ?? '',
    phone: remembered.phone ?? '',
    postcode: remembered.postcode ?? '',
    dealerId: null,
    preferredDate: '',
    variant,
    message: '',
    contact: false,
    marketing: false,
  };
}

export function refusalErrors(error: ErrorBody, payload: LeadSubmitInput): FieldErrors {
  if (error.code === 'invalid_payload') {
    const errors = errorsFromIssues(error.issues ?? [], payload);
    return Object.keys(errors).length > 0 ? errors : { form: 'lead.error.refused' };
  }
  return { form: error.code === 'conflict' ? 'lead.error.conflict' : 'lead.error.refused' };
}

/** What a viewer reads while a request waits for its next try, by the last attempt's error. */
export function retryNotice(lastError: string | null): MessageKey {
  if (lastError === 'rate_limited') return 'lead.retry.rateLimited';
  if (lastError === null || lastError === 'network' || lastError === 'timeout') return 'lead.offline';
  return 'lead.retry.server';
}
