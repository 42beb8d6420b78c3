import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, type CommandName } from '../../../../shared/ipc/contract';
import {
  MAX_IMPORT_CHARS,
  MAX_NOTE_CHARS,
  VALIDATORS,
  validateArgs,
} from '../../../../shared/ipc/validate';

/** One valid call of every command; the test below fails when a command has none. */
const VALID: { readonly [C in CommandName]: unknown[] } = {
  'status:get': [],
  'monitor:check-now': [],
  'monitor:pause': [],
  'monitor:resume': [],
  'activity:get': [{ range: '7d' }],
  'catchup:start': [{ since: '24h' }],
  'catchup:get': [],
  'matches:list': [{ classification: 'unexpected', triage: 'new', beforeId: 9, limit: 50 }],
  'matches:get': [1],
  'watchlist:list': [],
  'watchlist:add': [
    { github: 'acme/widget', expect: { workflows: ['.github/workflows/release.yml'] } },
  ],
  'watchlist:remove': ['github:acme/widget'],
  'watchlist:import': ['version: 1\nwatches: []\n', 'yaml', 'merge'],
  'watchlist:export': ['json'],
  'watchlist:from-rekor-monitor': ['monitoredValues:\n  certIdentities: []\n'],
  'watchlist:test-entry': ['{"body": ""}'],
  'alerts:list': [{ state: 'new' }],
  'alerts:acknowledge': [3],
  'alerts:expect': [3],
  'alerts:expect-preview': [[3, 4]],
  'alerts:note': [3, ''],
  'channels:list': [],
  'channels:add': [{ name: 'ops', kind: 'webhook', config: { url: 'https://hooks.example/x' } }],
  'channels:remove': ['ops'],
  'channels:set-enabled': ['ops', false],
  'channels:test': ['ops'],
  'secrets:set': ['gh-token', 'ghp_x'],
  'export:data': ['evidence'],
  'export:match-evidence': [7],
  'audit:page': [{ kind: 'match.found', text: 'acme', fromMs: 0, toMs: 1, beforeSeq: 4 }],
  'audit:verify': [],
};

describe('validateArgs', () => {
  it.each(COMMAND_NAMES)('accepts a valid call of %s and copies its arguments', (command) => {
    const result = validateArgs(command, VALID[command]);
    expect(result).toEqual({ ok: true, value: VALID[command] });
  });

  it('has a validator for exactly the commands of the contract', () => {
    expect(Object.keys(VALIDATORS).sort()).toEqual([...COMMAND_NAMES].sort());
  });

  const classInstance = new (class Query {
    limit = 5;
  })();
  const protoKey = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;

  it.each([
    {
      desc: 'a missing argument',
      command: 'matches:get',
      args: [],
      want: 'takes 1 argument(s), got 0',
    },
    {
      desc: 'an extra argument',
      command: 'status:get',
      args: [1],
      want: 'takes 0 argument(s), got 1',
    },
    {
      desc: 'a string id',
      command: 'matches:get',
      args: ['1'],
      want: 'argument 1 must be an integer in 1..9007199254740991, got string',
    },
    {
      desc: 'an activity range the chart does not offer',
      command: 'activity:get',
      args: [{ range: '1y' }],
      want: 'argument 1.range must be one of 24h, 7d, 30d, got "1y"',
    },
    {
      desc: 'an activity query without its range',
      command: 'activity:get',
      args: [{}],
      want: 'argument 1 is missing key "range"',
    },
    {
      desc: 'a catch-up further back than 7 days',
      command: 'catchup:start',
      args: [{ since: '30d' }],
      want: 'argument 1.since must be one of now, 24h, 7d, got "30d"',
    },
    {
      desc: 'a catch-up with an index instead of a period',
      command: 'catchup:start',
      args: [{ since: '24h', fromIndex: 0 }],
      want: 'argument 1 has unknown key "fromIndex"',
    },
    {
      desc: 'a zero id',
      command: 'alerts:acknowledge',
      args: [0],
      want: 'argument 1 must be an integer in 1..9007199254740991, got 0',
    },
    {
      desc: 'a fractional id',
      command: 'alerts:expect',
      args: [1.5],
      want: 'argument 1 must be an integer in 1..9007199254740991, got 1.5',
    },
    {
      desc: 'a NaN id',
      command: 'alerts:expect',
      args: [NaN],
      want: 'argument 1 must be an integer in 1..9007199254740991, got NaN',
    },
    {
      desc: 'a bulk preview over the largest selection',
      command: 'alerts:expect-preview',
      args: [Array.from({ length: 20_001 }, (_, i) => i + 1)],
      want: 'argument 1 has 20001 items, want at most 20000',
    },
    {
      desc: 'a bulk preview with a bad id',
      command: 'alerts:expect-preview',
      args: [[1, -2]],
      want: 'argument 1[1] must be an integer in 1..9007199254740991, got -2',
    },
    {
      desc: 'a limit over 500',
      command: 'alerts:list',
      args: [{ limit: 501 }],
      want: 'argument 1.limit must be an integer in 1..500, got 501',
    },
    {
      desc: 'an unknown query key',
      command: 'matches:list',
      args: [{ sql: '1=1' }],
      want: 'argument 1 has unknown key "sql"',
    },
    {
      desc: 'a class instance',
      command: 'alerts:list',
      args: [classInstance],
      want: 'argument 1 must be a plain object',
    },
    {
      desc: 'an array for an object',
      command: 'audit:page',
      args: [[]],
      want: 'argument 1 must be an object, got an array',
    },
    {
      desc: 'a __proto__ key',
      command: 'watchlist:add',
      args: [protoKey],
      want: 'argument 1 has unknown key "__proto__"',
    },
    {
      desc: 'an unknown triage state',
      command: 'alerts:list',
      args: [{ state: 'dismissed' }],
      want: 'argument 1.state must be one of new, acknowledged, expected, got "dismissed"',
    },
    {
      desc: 'an unknown export format',
      command: 'export:data',
      args: ['pdf'],
      want: 'argument 1 must be one of csv, jsonl, evidence, got "pdf"',
    },
    {
      desc: 'a renderer-chosen export path',
      command: 'export:data',
      args: [{ format: 'csv', dir: '/etc' }],
      want: 'argument 1 must be one of csv, jsonl, evidence, got object',
    },
    {
      desc: 'an empty watch name',
      command: 'watchlist:remove',
      args: [''],
      want: 'argument 1 must not be empty',
    },
    {
      desc: 'a non-boolean enabled',
      command: 'channels:set-enabled',
      args: ['ops', 'yes'],
      want: 'argument 2 must be a boolean, got string',
    },
    {
      desc: 'a note over the limit',
      command: 'alerts:note',
      args: [1, 'x'.repeat(MAX_NOTE_CHARS + 1)],
      want: `argument 2 is ${MAX_NOTE_CHARS + 1} characters, want at most ${MAX_NOTE_CHARS}`,
    },
    {
      desc: 'a watchlist over the limit',
      command: 'watchlist:import',
      args: ['x'.repeat(MAX_IMPORT_CHARS + 1), 'yaml', 'merge'],
      want: `argument 1 is ${MAX_IMPORT_CHARS + 1} characters, want at most ${MAX_IMPORT_CHARS}`,
    },
    {
      desc: 'a watch list item of the wrong type',
      command: 'watchlist:add',
      args: [{ github: 'a/b', origins: ['x', 7] }],
      want: 'argument 1.origins[1] must be a string, got number',
    },
    {
      desc: 'a nested unknown key',
      command: 'watchlist:add',
      args: [{ github: 'a/b', expect: { branches: [] } }],
      want: 'argument 1.expect has unknown key "branches"',
    },
    {
      desc: 'a channel without config',
      command: 'channels:add',
      args: [{ name: 'ops', kind: 'desktop' }],
      want: 'argument 1 is missing key "config"',
    },
    {
      desc: 'a non-finite number in a channel config',
      command: 'channels:add',
      args: [{ name: 'ops', kind: 'desktop', config: { x: Infinity } }],
      want: 'argument 1.config.x must be a finite number',
    },
    {
      desc: 'a deeply nested channel config',
      command: 'channels:add',
      args: [{ name: 'ops', kind: 'desktop', config: [[[[[[[[[[1]]]]]]]]]] }],
      want: 'argument 1.config[0][0][0][0][0][0][0][0][0] nests too deep',
    },
  ] as const)('refuses $desc', ({ command, args, want }) => {
    expect(validateArgs(command, args)).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: `${command}: ${want}` },
    });
  });

  it('copies only the keys given when some are undefined', () => {
    const result = validateArgs('watchlist:add', [{ email: 'me@example.com', enabled: undefined }]);
    expect(result).toEqual({ ok: true, value: [{ email: 'me@example.com' }] });
  });
});
