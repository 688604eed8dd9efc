/** A request the web UI's endpoints refuse: answered 400 with the message, the connection kept. */
export class BadUiRequest extends Error {}

const MAX_PARAM_LENGTH = 1024;

/**
 * The query's parameters if every one is expected, appears once and is
 * short; a BadUiRequest naming the first that is not.
 */
export function checkedParams(url: URL, allowed: readonly string[]): ReadonlyMap<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (!allowed.includes(name)) {
      throw new BadUiRequest(`unknown parameter '${name.slice(0, 64)}'${allowed.length ? `; expected ${allowed.join(', ')}` : '; this resource takes none'}`);
    }
    if (params.has(name)) throw new BadUiRequest(`parameter '${name}' given more than once`);
    if (value.length > MAX_PARAM_LENGTH) throw new BadUiRequest(`parameter '${name}' is longer than ${MAX_PARAM_LENGTH} characters`);
    params.set(name, value);
  }
  return params;
}
