/**
 * The bare baselines every ratio is against, as plain CommonJS programs run with `node -e` (no TypeScript loader,
 * nothing of ours loaded): what the botbuilder and Bolt samples do.
 *
 * - ECHO_BOT: restify + CloudAdapter + ActivityHandler answering every message with one line (anonymous).
 * - ECHO_CARD_BOT: the same, answering with the card our bot sends for the paste (read from ECHO_CARD_FILE).
 * - IGNORING_BOT: the same bot without a message handler: botbuilder reads the activity and answers 200.
 * - BARE_BOLT: a Bolt 5.1 app (default HTTPReceiver) whose message listener answers a post matching the ACR
 *   firewall error with the pre-rendered answer (say() in the thread) and ignores everything else, and whose
 *   `show_rules` action acks, waits BARE_AZURE_DELAY_MS (the slow Azure) and posts the pre-rendered rules with
 *   chat.postEphemeral. The answers come from BARE_ANSWER_FILE (what our bot posted for the same inputs).
 * Each prints `listening on port N` once it listens on 127.0.0.1 (PORT, 0 = any).
 */

export const ECHO_BOT = `
const restify = require('restify');
const { CloudAdapter, ConfigurationBotFrameworkAuthentication, ActivityHandler } = require('botbuilder');
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
class Bot extends ActivityHandler { constructor() { super(); this.onMessage(async (ctx, next) => { await ctx.sendActivity('echo: ' + ctx.activity.text); await next(); }); } }
const bot = new Bot();
const server = restify.createServer(); server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => { await adapter.process(req, res, (ctx) => bot.run(ctx)); });
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log('listening on port ' + server.address().port));
`;

const ECHO_HANDLER = `this.onMessage(async (ctx, next) => { await ctx.sendActivity('echo: ' + ctx.activity.text); await next(); });`;

export const ECHO_CARD_BOT = ECHO_BOT.replace(
  ECHO_HANDLER,
  `const card = JSON.parse(require('fs').readFileSync(process.env.ECHO_CARD_FILE, 'utf8')); this.onMessage(async (ctx, next) => { await ctx.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }); await next(); });`,
);

export const IGNORING_BOT = ECHO_BOT.replace(ECHO_HANDLER, '');

export const BARE_BOLT = `
const { App, LogLevel } = require('@slack/bolt');
const answers = JSON.parse(require('fs').readFileSync(process.env.BARE_ANSWER_FILE, 'utf8'));
const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  token: process.env.SLACK_BOT_TOKEN,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});
app.action('show_rules', async ({ ack, body, client }) => {
  await ack();
  await new Promise((r) => setTimeout(r, Number(process.env.BARE_AZURE_DELAY_MS || 0)));
  await client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, text: answers.rules.text, blocks: answers.rules.blocks });
});
app.message(/client with IP '([0-9.]+)' is not allowed access/i, async ({ message, say }) => {
  await say({ text: answers.paste.text, blocks: answers.paste.blocks, thread_ts: message.ts });
});
app.start({ port: Number(process.env.PORT || 0), host: '127.0.0.1' }).then((server) => console.log('listening on port ' + server.address().port));
`;
