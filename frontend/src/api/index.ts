// The app's one client. The auth provider listens for sign-outs it reports.
import { createClient, type SignedOutReason } from './client';

let listener: (reason: SignedOutReason) => void = () => {};

/** The auth provider registers here; the last registration wins. */
export function onSignedOut(next: (reason: SignedOutReason) => void): void {
  listener = next;
}

export const api = createClient({ onSignedOut: (reason) => listener(reason) });
