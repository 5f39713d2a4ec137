import { expect, it } from 'vitest';
import { matchingSocketUrl } from './matching';

it('the matching socket is on the page host, wss under https', () => {
  expect(matchingSocketUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe(
    'ws://localhost:5173/matching-service-api/ws',
  );
  expect(matchingSocketUrl({ protocol: 'https:', host: 'peerprep.example' })).toBe(
    'wss://peerprep.example/matching-service-api/ws',
  );
});
