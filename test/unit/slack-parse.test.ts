/**
 * What the Slack adapter hands the handler, read by the real parser (src/core/parse): the `text` of a message as
 * Slack delivers it (entities, auto-links, code fences, our mention) and the rich_text_preformatted text.
 */
import { describe, expect, it } from 'vitest';
import { messageText } from '../../src/adapters/slack/incoming.js';
import { parseFindings } from '../../src/core/parse/index.js';

const BOT = 'UBOT0ACR';

describe('Slack text through the real parser', () => {
  it('mrkdwn text with entities, <url|label> links and a code fence', () => {
    const text =
      '<@UBOT0ACR> got this:\n```Error response from daemon: Head "<https://shopfront42.azurecr.io/v2/payments/api/manifests/1.42.0|https://shopfront42.azurecr.io/v2/payments/api/manifests/1.42.0>": denied: client with IP \'51.105.77.12\' is not allowed access. Refer <https://aka.ms/acr/firewall> to grant access. &lt;none&gt;```';
    const [f] = parseFindings(messageText({ type: 'app_mention', text }, BOT));
    expect(f).toMatchObject({
      kind: 'firewall_denied',
      loginServer: 'shopfront42.azurecr.io',
      registryName: 'shopfront42',
      ip: '51.105.77.12',
      repository: 'payments/api',
      reference: '1.42.0',
    });
  });

  it('rich_text_preformatted text (links as elements)', () => {
    const blocks = [
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_preformatted',
            elements: [
              { type: 'text', text: 'Error response from daemon: Get "' },
              { type: 'link', url: 'https://shopfront42.azurecr.io/v2/' },
              { type: 'text', text: "\": denied: client with IP '20.61.14.37' is not allowed access. Refer " },
              { type: 'link', url: 'https://aka.ms/acr/firewall' },
              { type: 'text', text: ' to grant access.' },
            ],
          },
        ],
      },
    ];
    const [f] = parseFindings(messageText({ type: 'message', text: 'ignored when code is present', blocks }, BOT));
    expect(f).toMatchObject({ kind: 'firewall_denied', loginServer: 'shopfront42.azurecr.io', ip: '20.61.14.37' });
  });

  it('the Azure SQL look-alike is not a firewall_denied finding', () => {
    const text =
      "Cannot open server 'contoso-sql' requested by the login. Client with IP address '203.0.113.9' is not allowed to access the server.";
    expect(
      parseFindings(messageText({ type: 'message', text }, BOT)).filter((f) => f.kind === 'firewall_denied'),
    ).toEqual([]);
  });
});
