/**
 * A NATS message's JSON body, or undefined when it is not JSON: every reader then lets its schema
 * reject the message (with a log line or a count) instead of throwing in its consume loop.
 */
export function decodeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
