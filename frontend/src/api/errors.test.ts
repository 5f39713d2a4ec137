import { describe, expect, it } from 'vitest';
import { ApiError, describeError, fieldErrors, parseErrorBody } from './errors';

const error = (status: number, code: string, details?: unknown, retry: number | null = null) =>
  new ApiError(status, { code, message: 'raw service text', details }, retry);

describe('describeError', () => {
  it('turns known codes into sentences and never shows the raw message', () => {
    const { message } = describeError(error(401, 'invalid_credentials'));
    expect(message).toBe('That email and password do not match an account.');
    expect(describeError(error(409, 'email_taken')).message).toMatch(/already exists/);
    expect(describeError(error(409, 'username_taken')).message).toMatch(/username is taken/);
  });

  it('lists validation errors per field as sentences', () => {
    const details = { fields: { password: ['is too short', 'is a well-known password'], email: ['is not an email address'] } };
    const described = describeError(error(400, 'validation_failed', details));
    expect(described.message).toBe('Some fields need another look.');
    expect(described.fields).toEqual({
      password: 'Password is too short. Password is a well-known password.',
      email: 'Email is not an email address.',
    });
  });

  it('says how long to wait when rate limited', () => {
    expect(describeError(error(429, 'rate_limited', undefined, 30)).message).toBe(
      'Too many attempts. Please wait 30 seconds and try again.',
    );
    expect(describeError(error(429, 'rate_limited', undefined, 600)).message).toMatch(/10 minutes/);
    expect(describeError(error(429, 'rate_limited')).message).toMatch(/wait a little/);
  });

  it('falls back on the status for an unknown code, and on a generic sentence for non-API errors', () => {
    expect(describeError(error(503, 'something_new')).message).toMatch(/unavailable right now/);
    expect(describeError(error(500, 'whatever')).message).toMatch(/on our side/);
    expect(describeError(new TypeError('boom')).message).toMatch(/on our side/);
    expect(describeError(error(0, 'network')).message).toMatch(/could not reach/);
  });
});

describe('parseErrorBody', () => {
  it('reads the services shape', () => {
    const body = parseErrorBody(409, '{"error":{"code":"email_taken","message":"taken","details":null}}');
    expect(body).toEqual({ code: 'email_taken', message: 'taken', details: null });
  });

  it('falls back on the status for HTML, empty or odd bodies', () => {
    expect(parseErrorBody(502, '<html>Bad Gateway</html>').code).toBe('unavailable');
    expect(parseErrorBody(404, '').code).toBe('not_found');
    expect(parseErrorBody(400, '{"error":"nope"}').code).toBe('bad_request');
    expect(parseErrorBody(500, '[]').code).toBe('internal');
  });
});

describe('fieldErrors', () => {
  it('ignores details without fields and non-string messages', () => {
    expect(fieldErrors(null)).toEqual({});
    expect(fieldErrors({ fields: { new_password: [3, 'is too short'] } })).toEqual({
      new_password: 'New password is too short.',
    });
  });
});
