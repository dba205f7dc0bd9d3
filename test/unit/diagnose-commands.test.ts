/** Chat command parsing: what `@bot …` means once the adapter removed the mention, in every platform's formatting. */
import { describe, expect, it } from 'vitest';
import { flattenCommandText, parseCommand } from '../../src/app/commands.js';
import { parseRegistryRef } from '../../src/core/registry-ref.js';

const ID =
  '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-registries/providers/Microsoft.ContainerRegistry/registries/acrdenied';

describe('parseCommand', () => {
  it.each(['', '   ', 'help', 'HELP', '?', '<p>help</p>'])('%j is help', (text) => {
    expect(parseCommand(text)).toEqual({ type: 'help' });
  });

  it('a registry name, login server, URL or resource id is the firewall command', () => {
    expect(parseCommand('acrdenied')).toEqual({ type: 'firewall', registry: { kind: 'name', name: 'acrdenied' } });
    expect(parseCommand('AcrDenied.AzureCR.io')).toEqual({
      type: 'firewall',
      registry: expect.objectContaining({ kind: 'host', host: 'acrdenied.azurecr.io' }),
    });
    expect(parseCommand('https://acrdenied.azurecr.io/v2/')).toEqual({
      type: 'firewall',
      registry: expect.objectContaining({ kind: 'host', host: 'acrdenied.azurecr.io' }),
    });
    expect(parseCommand(ID)).toEqual({ type: 'firewall', registry: expect.objectContaining({ kind: 'id', id: ID }) });
    expect(parseCommand(`check ${ID}`)).toEqual({
      type: 'firewall',
      registry: expect.objectContaining({ kind: 'id', id: ID }),
    });
  });

  it('registry plus address is the check command, the address normalised', () => {
    expect(parseCommand('acrdenied 203.0.113.7')).toEqual({
      type: 'check',
      registry: { kind: 'name', name: 'acrdenied' },
      ip: '203.0.113.7',
    });
    expect(parseCommand('check acrdenied.azurecr.io 2001:DB8::1')).toMatchObject({ type: 'check', ip: '2001:db8::1' });
  });

  it('reads through Teams HTML, Slack auto-links, entities and code formatting', () => {
    expect(parseCommand('<p>acrdenied&nbsp;203.0.113.7</p>')).toMatchObject({ type: 'check', ip: '203.0.113.7' });
    expect(parseCommand('<http://acrdenied.azurecr.io|acrdenied.azurecr.io> `203.0.113.7`')).toMatchObject({
      type: 'check',
      registry: expect.objectContaining({ kind: 'host', host: 'acrdenied.azurecr.io' }),
    });
    expect(parseCommand('<@U0123ABCD> acrdenied')).toMatchObject({ type: 'firewall' });
    expect(flattenCommandText('<div>a<br/>b &amp; c</div>')).toBe('a b & c');
  });

  it('a wrong address after a registry is an invalid command whose problem quotes nothing the user wrote', () => {
    const c = parseCommand('acrdenied.azurecr.io 203.0.113.999');
    expect(c.type).toBe('invalid');
    expect(JSON.stringify(c)).not.toContain('999');
    expect(parseCommand('check not/a/registry')).toMatchObject({ type: 'invalid' });
    expect(parseCommand('check')).toMatchObject({ type: 'invalid' });
  });

  it('chatter addressed to the bot is unknown, not a registry lookup', () => {
    for (const text of [
      'thanks!',
      'hello there',
      'can you look at this for me please',
      'x'.repeat(500),
      'what is going on with acr today?',
    ]) {
      expect(parseCommand(text)).toEqual({ type: 'unknown' });
    }
  });

  it('leaves requests and audit to the approval flow', () => {
    expect(parseCommand('requests')).toEqual({ type: 'verb', verb: 'requests', args: [] });
    expect(parseCommand('Audit acrdenied')).toEqual({ type: 'verb', verb: 'audit', args: ['acrdenied'] });
  });
});

describe('parseRegistryRef', () => {
  it('refuses what cannot be a registry', () => {
    for (const w of [
      'ab',
      'a-b',
      'a_b',
      '/subscriptions/x/resourceGroups/y',
      'under_score.azurecr.io',
      '-bad.azurecr.io',
      `${'a'.repeat(51)}`,
    ]) {
      expect(parseRegistryRef(w)).toBeNull();
    }
  });
});
