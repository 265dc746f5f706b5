/**
 * Run records as they sit in IndexedDB, for tests: a good one as the site saves it, and 18 kinds
 * of damage a record saved by an older build or edited by hand can show. Plain data (NaN
 * included), so a browser test can write them into the page's database as they are.
 */

/** A finished run as the site saves it, with `epochs` completed epochs at 80 % + 1 % each. */
export function storedRecord(id: string, createdAt: number, epochs = 2, widget = 'training-run') {
  const points = Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    step: 10 * (i + 1),
    train: { loss: 0.5, accuracy: 0.8 + i / 100 },
    validation: { loss: 0.5, accuracy: 0.8 + i / 100 },
    test: null,
    seconds: 1,
    samplesPerSecond: 500,
  }));
  const progress = Array.from({ length: 10 * epochs }, (_, i) => ({
    step: i + 1,
    epoch: (i + 1) / 10,
    loss: 1 - i / 100,
    accuracy: 0.5 + i / 100,
    batchLoss: 1,
  }));
  return {
    id,
    widget,
    label: `saved ${id}`,
    group: null,
    config: { epochs, trainLimit: 1000 },
    state: 'finished',
    createdAt,
    updatedAt: createdAt + 1000,
    info: null,
    progress,
    epochs: points,
    changes: [],
    diagnostics: { frames: [], received: 0, stride: 1 },
    samplesPerSecond: 500,
    etaSeconds: null,
    summary: {
      steps: 10 * epochs,
      epochs,
      seconds: epochs,
      samplesPerSecond: 500,
      train: points.at(-1)!.train,
      validation: points.at(-1)!.validation,
      test: null,
      diverged: null,
      error: null,
    },
  };
}

/** The 18 kinds of damage: each entry is [what it is, the record (or what to change in a good one)]. */
export function damagedRecords(now: number): [string, Record<string, unknown>][] {
  const good = (id: string) => storedRecord(id, now) as Record<string, unknown>;
  const without = (id: string, field: string) => {
    const r = good(id);
    delete r[field];
    return r;
  };
  return [
    ['createdAt as a string', { ...good('bad-created-string'), createdAt: '2026-12-01' }],
    ['createdAt missing', without('bad-created-missing', 'createdAt')],
    ['createdAt NaN', { ...good('bad-created-nan'), createdAt: Number.NaN }],
    ['numeric id', { ...good('x'), id: 42 }],
    ['config missing', without('bad-config-missing', 'config')],
    ['config null', { ...good('bad-config-null'), config: null }],
    ['config with a bad value', { ...good('bad-config-value'), config: { lr: 'fast' } }],
    ['unknown state', { ...good('bad-state'), state: 'exploded' }],
    ['unknown version', { ...good('bad-version'), version: 99 }],
    ['epochs null', { ...good('bad-epochs-null'), epochs: null }],
    [
      'an epoch with a string accuracy',
      {
        ...good('bad-epoch-entry'),
        epochs: [{ epoch: 1, step: 1, train: { loss: 1, accuracy: '90%' }, validation: null, test: null, seconds: 1, samplesPerSecond: 1 }],
      },
    ],
    ['progress null', { ...good('bad-progress'), progress: null }],
    [
      'summary with a null validation accuracy',
      { ...good('bad-summary'), summary: { ...(good('s').summary as object), validation: { loss: 1, accuracy: null } } },
    ],
    ['label a number', { ...good('bad-label'), label: 7 }],
    ['widget missing', without('bad-widget', 'widget')],
    ['info a string', { ...good('bad-info'), info: 'none' }],
    ['diagnostics frames a string', { ...good('bad-diagnostics'), diagnostics: { frames: 'x', received: 1, stride: 1 } }],
    ['garbage', { id: 'bad-garbage', hello: 'world', createdAt: now }],
  ];
}
