// The Official Account API answers every call with { errcode, errmsg }. The errcodes that change
// what the desk does get a kind of their own: a closed 48-hour window (45015) and a spent
// 5-per-message quota (45047) both mean "use a template message instead", an invalid token means
// "refresh once and retry", the rest are retried or given up as the dispatcher decides.
export type OaErrorKind =
  | 'window_closed' // 45015: more than 48 h since the citizen last wrote
  | 'quota_spent' // 45047: five customer-service messages already sent since the citizen's last message
  | 'token' // 40001, 40014, 42001: the access token is invalid or expired
  | 'busy' // -1: WeChat's system is busy
  | 'api_limit' // 45009: the account's daily call quota for this API
  | 'unsubscribed' // 43004: the citizen unfollowed the account
  | 'rejected' // anything else: a bad request the same call will never fix
  | 'network'; // no answer at all

const KINDS: Record<number, OaErrorKind> = {
  45015: 'window_closed',
  45047: 'quota_spent',
  40001: 'token',
  40014: 'token',
  42001: 'token',
  [-1]: 'busy',
  45009: 'api_limit',
  43004: 'unsubscribed',
};

export const oaErrorKind = (errcode: number): OaErrorKind => KINDS[errcode] ?? 'rejected';

export class OaApiError extends Error {
  override name = 'OaApiError';
  readonly kind: OaErrorKind;
  constructor(
    readonly method: string,
    readonly errcode: number,
    readonly errmsg: string,
    kind?: OaErrorKind,
  ) {
    // errmsg ends with "rid: …" (WeChat's request id), which is what WeChat support asks for.
    super(`${method}: errcode ${errcode} ${errmsg}`.slice(0, 300));
    this.kind = kind ?? oaErrorKind(errcode);
  }
}
