import type { ErrorBody } from '../../../shared/errors.js';
import { QUESTION_MAX_CHARS } from '../../../shared/qa.js';
import { errorKey, type MessageKey } from '../../i18n/messages.js';

export type QaAction = 'ask' | 'vote' | 'reaction' | 'moderate';
type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * The command never got an answer: the socket was not connected, or the ack did not come in
 * time (`send` in client/net/liveRoom.ts). Not a refusal: the same command may go again.
 */
export function isNetworkFailure(error: ErrorBody): boolean {
  return error.code === 'internal' && (error.message === 'timeout' || error.message === 'not connected');
}

/**
 * A refused Q&A command in words a viewer understands. The server's own messages are English
 * developer text, so only the code and the issue's field are used, never the message itself
 * (except as a last resort for a field we do not know).
 */
export function qaErrorMessage(t: T, action: QaAction, error: ErrorBody): string {
  switch (error.code) {
    case 'rate_limited':
      return t(`qa.error.rate.${action}`);
    case 'not_found':
      return t(action === 'ask' ? 'error.not_found' : 'qa.error.gone');
    case 'not_live':
      return t('qa.error.notLive');
    case 'invalid_payload': {
      const field = error.issues?.[0]?.path[0];
      if (field === 'text') return t('qa.error.text', { max: QUESTION_MAX_CHARS });
      if (field === 'name') return t('qa.error.name');
      if (action === 'reaction') return t('qa.error.emoji');
      const detail = error.issues?.[0]?.message;
      return detail ? `${t('error.invalid_payload')} (${detail})` : t('error.invalid_payload');
    }
    case 'forbidden':
    case 'unauthorized':
    case 'conflict':
      return t(errorKey(error.code));
    default:
      // `internal` covers the ack timeout and "not connected" too: say what to do about it.
      return t(isNetworkFailure(error) ? 'error.network' : 'error.internal');
  }
}
