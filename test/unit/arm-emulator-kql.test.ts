import { describe, expect, it } from 'vitest';
import { runQuery } from '../../tools/arm-emulator/kql/eval.js';
import { KqlError } from '../../tools/arm-emulator/kql/lexer.js';
import { lookupQuery } from '../../src/adapters/azure/kql.js';

const rows = [
  {
    id: '/r/1',
    name: 'contosoprod',
    type: 'microsoft.containerregistry/registries',
    properties: { loginServer: 'contosoprod.azurecr.io' },
  },
  { id: '/p/1', name: 'pip', type: 'microsoft.network/publicipaddresses', properties: { ipAddress: '20.61.14.37' } },
  {
    id: '/x/1',
    name: 'prefix',
    type: 'microsoft.network/publicipprefixes',
    properties: { ipPrefix: '52.232.64.16/28' },
  },
];

describe('emulator KQL subset', () => {
  it('filters with =~, ==, in~, and/or, tostring and ipv4_is_in_range, then projects and limits', () => {
    const q = `Resources | where (type =~ 'Microsoft.ContainerRegistry/registries' and tostring(properties.loginServer) in~ ('CONTOSOPROD.azurecr.io'))
      or (type == 'microsoft.network/publicipprefixes' and ipv4_is_in_range('52.232.64.20', tostring(properties.ipPrefix))) | project id, login = tolower(properties.loginServer) | limit 5`;
    expect(runQuery(q, rows)).toEqual([
      { id: '/r/1', login: 'contosoprod.azurecr.io' },
      { id: '/x/1', login: '' },
    ]);
    expect(runQuery(`resources | where name == 'CONTOSOPROD'`, rows)).toEqual([]);
    expect(
      runQuery(`resources | where not(type =~ 'microsoft.network/publicipaddresses') | take 1 | project name`, rows),
    ).toEqual([{ name: 'contosoprod' }]);
  });

  it('answers the queries the Azure adapter sends', () => {
    const q = lookupQuery({ loginServers: ['contosoprod.azurecr.io'], ip: '20.61.14.37' })!;
    expect(runQuery(q, rows).map((r) => r.id)).toEqual(['/r/1', '/p/1']);
    expect(runQuery(lookupQuery({ names: ["o'brien"] })!, rows)).toEqual([]);
  });

  it('refuses what it does not implement, and unknown columns, instead of guessing', () => {
    for (const q of [
      'resources | summarize count()',
      'resourcecontainers',
      "resources | where strcat(name) == 'x'",
      'resources | where nosuch == 1',
      "resources | where name > 'a'",
      "resources | where name == 'x",
    ]) {
      expect(() => runQuery(q, [])).toThrow(KqlError);
    }
  });
});
