/** One named verification step of a report (runpack §2.8, pack §3.6): whether it passed and, when not, why. */
export interface NamedCheck<N extends string> {
  readonly name: N;
  readonly ok: boolean;
  readonly why?: string;
}

/** A passed check when `why` is '', else a failed one carrying `why`. */
export function namedCheck<N extends string>(name: N, why: string): NamedCheck<N> {
  return why === '' ? { name, ok: true } : { name, ok: false, why };
}
