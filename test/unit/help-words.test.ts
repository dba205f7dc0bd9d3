/**
 * Help in the same words on both platforms: what the bot does, every command it understands with what it does, the
 * note on Request access and Learn more, from core/help-words.ts; and the commands are the ones the Teams app
 * manifest offers.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReply as renderSlack } from '../../src/adapters/slack/render/index.js';
import { renderReply as renderTeams } from '../../src/adapters/teams/cards/render.js';
import { FIREWALL_DOCS, HELP_WORDS as W } from '../../src/core/help-words.js';
import { plain, unSlack } from '../support/card-words.js';

// Wire payloads are JSON read loosely here.
type Json = any;

function teamsHelp(): { texts: string[]; commands: Array<[string, string]>; links: string[] } {
  const c: Json = renderTeams({ type: 'help' });
  const texts = c.body.filter((b: Json) => b.type === 'TextBlock').map((b: Json) => plain(b.text));
  const commands = c.body
    .find((b: Json) => b.type === 'FactSet')
    .facts.map((f: Json) => [plain(f.title), plain(f.value)] as [string, string]);
  return { texts, commands, links: c.actions.map((a: Json) => `${a.title} ${a.url}`) };
}

function slackHelp(): { texts: string[]; commands: Array<[string, string]>; links: string[] } {
  const m: Json = renderSlack({ type: 'help' });
  const lines: string[] = m.blocks
    .flatMap((b: Json) => [b.text?.text, ...(b.elements ?? []).map((e: Json) => e.text)])
    .filter((t: unknown): t is string => typeof t === 'string')
    .flatMap((t: string) => unSlack(t).split('\n'));
  const commands = lines
    .filter((l) => l.startsWith('• '))
    .map((l) => /^• `@acr (.*?)` or `\/\S+ \1`: (.*)$/.exec(l)!)
    .map((x) => [x[1]!, x[2]!] as [string, string]);
  const texts = lines.filter((l) => l !== '' && !l.startsWith('• ')).map((l) => l.replace(/^\*(.*)\*$/, '$1'));
  const links = m.blocks
    .filter((b: Json) => b.type === 'actions')
    .flatMap((b: Json) => b.elements.map((e: Json) => `${e.text.text} ${e.url}`));
  return { texts, commands, links };
}

describe('help says the same on Teams and Slack', () => {
  it('what the bot does, every command, the note and Learn more', () => {
    const [t, s] = [teamsHelp(), slackHelp()];
    const expected = W.commands.map((c) => [c.usage, c.what]);
    expect(t.commands).toEqual(expected);
    expect(s.commands).toEqual(expected);
    expect(s.texts).toEqual(t.texts);
    expect(t.texts).toEqual([W.title, W.intro, W.commandsHeading, W.note]);
    expect(s.links).toEqual(t.links);
    expect(t.links).toEqual([`Learn more ${FIREWALL_DOCS}`]);
  });

  it('lists the commands the Teams app manifest offers', () => {
    const manifest = JSON.parse(fs.readFileSync('manifest/teams/manifest.json', 'utf8'));
    const offered = manifest.bots[0].commandLists.flatMap((l: Json) => l.commands.map((c: Json) => c.title));
    expect([...new Set(offered)].sort()).toEqual(W.commands.map((c) => c.usage).sort());
  });
});
