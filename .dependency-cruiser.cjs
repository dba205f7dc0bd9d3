/**
 * Layer rules (docs/architecture.md): core is pure, the app layer talks to the world only through its ports,
 * adapters are thin and never reach into each other. `npm run check:deps` fails the build when one is broken.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core may import only src/core and the pure libraries listed here (no I/O, no SDKs, no env).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '^node_modules/(ipaddr\\.js|cidr-tools|ip-bigint)/'],
      },
    },
    {
      name: 'core-no-node-builtins',
      comment: 'src/core never touches the file system, the network or the process.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'app-not-to-adapters',
      comment: 'Use cases reach Azure, the store and the chat platforms only through the ports in src/app.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/(adapters|cli)/|^src/(main|config|server)\\.ts$' },
    },
    {
      name: 'app-no-sdks',
      comment: 'The app layer imports no platform, cloud or telemetry SDK; adapters do (the telemetry port is src/app/telemetry/port.ts).',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^node_modules/(@azure|@slack|@opentelemetry|botbuilder|botframework-|restify|pg|better-sqlite3)' },
    },
    {
      name: 'adapters-not-to-each-other',
      comment: 'An adapter never imports another adapter; the composition root (src/main.ts) wires them.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/([^/]+)/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'adapters-not-to-root',
      comment: 'Adapters get their settings handed in; only the composition root imports config and main.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(main|cli/)' },
    },
    {
      name: 'only-roots-wire-adapters',
      comment: 'Adapters are wired by the composition roots (src/main.ts, the CLI commands); nothing else imports one.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(adapters/|cli/|main\\.ts$)' },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'store-port-roles-apart',
      comment: 'Each role of the store port (src/app/store/) stands alone; src/app/store.ts composes them.',
      severity: 'error',
      from: { path: '^src/app/store/([^/]+)\\.ts$' },
      to: { path: '^src/app/store(/|\\.ts$)', pathNot: '^src/app/store/$1\\.ts$' },
    },
    {
      name: 'store-roles-apart',
      comment:
        'A store role module (requests, grants, operations, audit, cards, claims) is written on the SQL shell alone: it never imports another role or the composition.',
      severity: 'error',
      from: { path: '^src/adapters/store/roles/([^/]+)\\.ts$' },
      to: {
        path: '^src/adapters/store/(roles/|sql-store\\.ts$|index\\.ts$)',
        pathNot: '^src/adapters/store/roles/$1\\.ts$',
      },
    },
    {
      name: 'store-shell-below-roles',
      comment: 'The SQL shell (drivers, rows, transactions, audit insertion) knows nothing of the roles built on it.',
      severity: 'error',
      from: { path: '^src/adapters/store/', pathNot: '^src/adapters/store/(roles/|sql-store\\.ts$|index\\.ts$)' },
      to: { path: '^src/adapters/store/(roles/|sql-store\\.ts$|index\\.ts$)' },
    },
    {
      name: 'worker-parts-one-way',
      comment:
        'The registry worker composes its parts: the queue, firewall-write, the attempt loop, the shared types, the messages and the overwrite check never import a step or the worker.',
      severity: 'error',
      from: {
        path: '^src/app/approvals/(registry-queue|firewall-write|attempts|worker-types|worker-news|apply-records|overwrite-check|arm-errors)\\.ts$',
      },
      to: { path: '^src/app/approvals/(worker|apply-grants|apply-extension|remove-rules)\\.ts$' },
    },
    {
      name: 'worker-steps-apart',
      comment: 'Applying grants and removing rules never import each other, the queue or the worker that runs them.',
      severity: 'error',
      from: { path: '^src/app/approvals/(apply-grants|apply-extension|remove-rules)\\.ts$' },
      to: { path: '^src/app/approvals/(worker|registry-queue|remove-rules|apply-grants)\\.ts$' },
    },
    {
      name: 'azure-lookups-apart',
      comment:
        'The registry resolver and the IP-owner lookup share the directory and never import each other or the gateway facade; the directory knows neither.',
      severity: 'error',
      from: { path: '^src/adapters/azure/(registry-resolver|ip-owner-lookup|directory)\\.ts$' },
      to: { path: '^src/adapters/azure/(registry-resolver|ip-owner-lookup|gateway|index)\\.ts$' },
    },
    {
      name: 'src-not-to-tests-or-tools',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|tools|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'Dependencies run one way.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'Production code cannot depend on a dev dependency: npm ci --omit=dev would break it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
