import { describe, expect, it } from 'vitest';
import { isSslCheck, parseSlackBody } from '../../src/adapters/slack/body.js';
import { signSlackRequest, verifySlackSignature } from '../../src/adapters/slack/verify.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_700_000_000_000;
const TS = String(NOW / 1000);
const BODY = Buffer.from('{"type":"event_callback","event":{"type":"message","text":"caf\u00e9 &lt;x&gt;"}}', 'utf8');

function check(overrides: { ts?: string | undefined; sig?: string | undefined; body?: Buffer; secret?: string } = {}) {
  const ts = 'ts' in overrides ? overrides.ts : TS;
  const body = overrides.body ?? BODY;
  const sig = 'sig' in overrides ? overrides.sig : signSlackRequest(overrides.secret ?? SECRET, ts ?? '0', body);
  return verifySlackSignature(SECRET, { rawBody: body, timestamp: ts, signature: sig }, NOW);
}

describe('verifySlackSignature', () => {
  it('accepts what Slack signs, over the raw bytes', () => {
    expect(check()).toEqual({ ok: true });
  });
  it('signs "v0:" + timestamp + ":" + body (vector computed with openssl dgst -sha256 -hmac)', () => {
    expect(signSlackRequest('secret', '1', 'x')).toBe(
      'v0=c95c2c7a6b0d12cc82fa9987c147017e95a5435b497a037252afca9641a4b0b4',
    );
  });
  it('refuses a signature made with another secret or over other bytes', () => {
    expect(check({ secret: 'other' })).toEqual({ ok: false, reason: 'bad_signature' });
    const sig = signSlackRequest(SECRET, TS, BODY);
    expect(check({ sig, body: Buffer.concat([BODY, Buffer.from(' ')]) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(check({ sig: `v1=${sig.slice(3)}` })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ sig: sig.slice(0, -1) })).toEqual({ ok: false, reason: 'bad_signature' });
  });
  it('refuses missing headers', () => {
    expect(check({ ts: undefined })).toEqual({ ok: false, reason: 'missing_headers' });
    expect(check({ sig: undefined })).toEqual({ ok: false, reason: 'missing_headers' });
  });
  it('refuses timestamps more than 5 minutes off in either direction', () => {
    expect(check({ ts: String(NOW / 1000 - 301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(check({ ts: String(NOW / 1000 + 301) })).toEqual({ ok: false, reason: 'future_timestamp' });
    expect(check({ ts: String(NOW / 1000 - 300) })).toEqual({ ok: true });
    expect(check({ ts: String(NOW / 1000 + 300) })).toEqual({ ok: true });
    expect(check({ ts: '1.7e9' })).toEqual({ ok: false, reason: 'malformed_timestamp' });
  });
});

describe('parseSlackBody', () => {
  it('reads events (JSON), interactivity (payload=) and slash commands (form)', () => {
    expect(parseSlackBody('application/json', Buffer.from('{"type":"url_verification","challenge":"c"}'))).toEqual({
      ok: true,
      body: { type: 'url_verification', challenge: 'c' },
    });
    const payload = encodeURIComponent(JSON.stringify({ type: 'block_actions', actions: [] }));
    expect(parseSlackBody('application/x-www-form-urlencoded', Buffer.from(`payload=${payload}`))).toEqual({
      ok: true,
      body: { type: 'block_actions', actions: [] },
    });
    expect(
      parseSlackBody(
        'application/x-www-form-urlencoded; charset=utf-8',
        Buffer.from('command=%2Facr&text=myreg+1.2.3.4'),
      ),
    ).toEqual({ ok: true, body: { command: '/acr', text: 'myreg 1.2.3.4' } });
  });
  it('calls anything else malformed', () => {
    for (const [type, body] of [
      ['application/json', '{not json'],
      ['application/json', '[1,2]'],
      ['application/x-www-form-urlencoded', 'payload=%7Bbroken'],
      ['application/x-www-form-urlencoded', 'a=b'],
      ['text/plain', 'hello'],
      [undefined, '{}'],
    ] as const) {
      expect(parseSlackBody(type, Buffer.from(body)).ok, `${type} ${body}`).toBe(false);
    }
  });
  it('recognises ssl_check only as a bare form', () => {
    expect(isSslCheck('application/x-www-form-urlencoded', Buffer.from('ssl_check=1&token=x'))).toBe(true);
    expect(isSslCheck('application/x-www-form-urlencoded', Buffer.from('ssl_check=1&payload=%7B%7D'))).toBe(false);
    expect(isSslCheck('application/x-www-form-urlencoded', Buffer.from('ssl_check=1&command=%2Facr'))).toBe(false);
    expect(isSslCheck('application/json', Buffer.from('{"ssl_check":"1"}'))).toBe(false);
  });
});
