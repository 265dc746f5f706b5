/**
 * "The same in Keras / PyTorch": a training config (engine/train/config.ts) as the Keras and the
 * PyTorch code that reproduces it, translated by the conventions table in the README:
 *
 *   BN momentum     Keras m            ↔ PyTorch momentum = 1 − m
 *   BN ε            engine/Keras ε     → PyTorch eps=ε passed explicitly (its default is 1e-5)
 *   L2              Keras L2(l2) on every Dense kernel ↔ PyTorch weight_decay = 2·l2 on Linear weights only
 *   AdamW           weight_decay unchanged; biases and BN γ/β excluded in both
 *   clipping        global norm → Keras global_clipnorm, PyTorch clip_grad_norm_; by value → clipvalue, clip_grad_value_
 *   validation      the last 6,000 of the 60,000 training images (Keras validation_split=0.1)
 *
 * Pure functions of the config: the widget calls them on every settings change.
 */
import { parseTrainConfig, trainImages, type TrainConfig } from '@engine/train/config.ts';

export interface FrameworkCode {
  keras: string;
  pytorch: string;
}

const validationImages = 6000;

/** A Python float literal: 0.001, 1e-07, 2.0. */
export function py(value: number): string {
  if (Number.isInteger(value)) return `${value}.0`;
  const short = Number(value.toPrecision(6));
  return Math.abs(short) < 1e-4 ? short.toExponential().replace(/e([+-])(\d)$/, 'e$10$2') : String(short);
}

const kerasInit = { 'glorot-uniform': 'glorot_uniform', 'he-normal': 'he_normal', 'he-uniform': 'he_uniform' } as const;

/** Adam's ε in the engine (Keras's default); the engine does not let a config change it. */
const adamEpsilon = 1e-7;

export function kerasCode(input: Partial<TrainConfig>): string {
  const c = parseTrainConfig(input);
  const reg = c.l2 > 0 ? `, kernel_regularizer=regularizers.L2(${py(c.l2)})` : '';
  const dense = (units: number) => `    layers.Dense(${units}, kernel_initializer="${kerasInit[c.init]}"${reg}),`;
  const bn = `    layers.BatchNormalization(momentum=${py(c.bnMomentum)}, epsilon=${py(c.epsilon)}),`;
  const body: string[] = [];
  for (const units of c.hidden) {
    body.push(dense(units));
    if (c.norm === 'batch' && c.normPlacement === 'before-activation') body.push(bn);
    body.push(`    layers.Activation("${c.activation}"),`);
    if (c.norm === 'batch' && c.normPlacement === 'after-activation') body.push(bn);
    if (c.dropout > 0) body.push(`    layers.Dropout(${py(c.dropout)}),`);
  }
  body.push(`    layers.Dense(10, kernel_initializer="${kerasInit[c.init]}"${reg}),  # logits; softmax is in the loss`);

  const clip = [
    c.clipNorm !== null ? `global_clipnorm=${py(c.clipNorm)}` : null, // one norm over all tensors; plain clipnorm clips each tensor alone
    c.clipValue !== null ? `clipvalue=${py(c.clipValue)}` : null,
  ].filter((x): x is string => x !== null);
  const clipArgs = clip.length ? `, ${clip.join(', ')}` : '';
  const optimizer = {
    adam: `keras.optimizers.Adam(learning_rate=${py(c.lr)}, epsilon=${py(adamEpsilon)}${clipArgs})`,
    adamw: `keras.optimizers.AdamW(learning_rate=${py(c.lr)}, weight_decay=${py(c.weightDecay)}, epsilon=${py(adamEpsilon)}${clipArgs})`,
    sgd: `keras.optimizers.SGD(learning_rate=${py(c.lr)}, momentum=${py(c.momentum)}${clipArgs})`,
  }[c.optimizer];

  const lines = [
    'import keras',
    `from keras import layers${c.l2 > 0 ? ', regularizers' : ''}`,
    '',
    `keras.utils.set_random_seed(${c.seed})  # a seed for Keras's own generators: not the engine's stream`,
    '(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()',
    'x_train, x_test = x_train / 255.0, x_test / 255.0',
  ];
  if (c.trainLimit !== null) {
    lines.push(
      `# The engine trains on the first ${c.trainLimit.toLocaleString('en')} of the 54,000 training images and validates on the last 6,000.`,
      `x_val, y_val = x_train[${trainImages}:], y_train[${trainImages}:]`,
      `x_train, y_train = x_train[:${c.trainLimit}], y_train[:${c.trainLimit}]`,
    );
  }
  lines.push(
    '',
    'model = keras.Sequential([',
    '    keras.Input(shape=(28, 28)),',
    '    layers.Flatten(),',
    ...body,
    '])',
    `optimizer = ${optimizer}`,
  );
  if (c.optimizer === 'adamw')
    lines.push('optimizer.exclude_from_weight_decay(var_names=["bias", "gamma", "beta"])  # only Dense kernels decay');
  if (c.clipNorm !== null && c.clipValue !== null)
    lines.push('# Keras allows only one clipping argument per optimizer; the engine clips by norm, then by value.');
  lines.push(
    'model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])',
    c.trainLimit === null
      ? `model.fit(x_train, y_train, batch_size=${c.batchSize}, epochs=${c.epochs}, validation_split=0.1)  # the last 6,000 images, before shuffling`
      : `model.fit(x_train, y_train, batch_size=${c.batchSize}, epochs=${c.epochs}, validation_data=(x_val, y_val))`,
    'model.evaluate(x_test, y_test)',
  );
  return `${lines.join('\n')}\n`;
}

const torchAct = { relu: 'nn.ReLU()', sigmoid: 'nn.Sigmoid()', tanh: 'nn.Tanh()' } as const;

const torchInit = {
  'glorot-uniform': 'nn.init.xavier_uniform_(m.weight)',
  'he-uniform': 'nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")',
  // Keras he_normal is truncated at 2σ with σ scaled up so the variance stays 2/fan_in.
  'he-normal': 'std = (2 / m.in_features) ** 0.5 / 0.87962566103423978; nn.init.trunc_normal_(m.weight, std=std, a=-2 * std, b=2 * std)',
} as const;

export function pytorchCode(input: Partial<TrainConfig>): string {
  const c = parseTrainConfig(input);
  const bn = (units: number) =>
    `    nn.BatchNorm1d(${units}, momentum=${py(Number((1 - c.bnMomentum).toPrecision(6)))}, eps=${py(c.epsilon)}),  # Keras momentum ${py(c.bnMomentum)} → 1 − ${py(c.bnMomentum)}`;
  const body: string[] = [];
  let width = 784;
  for (const units of c.hidden) {
    body.push(`    nn.Linear(${width}, ${units}),`);
    if (c.norm === 'batch' && c.normPlacement === 'before-activation') body.push(bn(units));
    body.push(`    ${torchAct[c.activation]},`);
    if (c.norm === 'batch' && c.normPlacement === 'after-activation') body.push(bn(units));
    if (c.dropout > 0) body.push(`    nn.Dropout(${py(c.dropout)}),`);
    width = units;
  }
  body.push(`    nn.Linear(${width}, 10),`);

  const decay = c.optimizer === 'adamw' ? c.weightDecay : 2 * c.l2;
  const groups = '[{"params": decay, "weight_decay": ' + py(Number(decay.toPrecision(6))) + '}, {"params": no_decay, "weight_decay": 0.0}]';
  const optimizer = {
    adam: `torch.optim.Adam(${groups}, lr=${py(c.lr)}, eps=${py(adamEpsilon)})`,
    adamw: `torch.optim.AdamW(${groups}, lr=${py(c.lr)}, eps=${py(adamEpsilon)})`,
    sgd: `torch.optim.SGD(${groups}, lr=${py(c.lr)}, momentum=${py(c.momentum)})`,
  }[c.optimizer];
  const trainRange = c.trainLimit === null ? `range(${trainImages})` : `range(${c.trainLimit})`;
  const lines = [
    'import torch',
    'from torch import nn',
    'from torchvision import datasets, transforms',
    '',
    `torch.manual_seed(${c.seed})  # PyTorch's own generator: not the engine's stream`,
    'mnist = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())',
    'test_set = datasets.MNIST("data", train=False, download=True, transform=transforms.ToTensor())',
    `# Keras's validation_split=0.1: the last ${validationImages.toLocaleString('en')} training images, taken before shuffling.`,
    `train_set = torch.utils.data.Subset(mnist, ${trainRange})`,
    `val_set = torch.utils.data.Subset(mnist, range(${trainImages}, 60000))`,
    `loader = torch.utils.data.DataLoader(train_set, batch_size=${c.batchSize}, shuffle=True)`,
    '',
    'model = nn.Sequential(',
    '    nn.Flatten(),',
    ...body,
    ')',
    'for m in model.modules():',
    '    if isinstance(m, nn.Linear):',
    `        ${torchInit[c.init]}`,
    '        nn.init.zeros_(m.bias)',
    '',
    '# Only Linear weights decay; biases and BN γ, β do not (as in the engine and in Keras).',
    'decay = [m.weight for m in model.modules() if isinstance(m, nn.Linear)]',
    'no_decay = [p for p in model.parameters() if all(p is not d for d in decay)]',
  ];
  if (c.optimizer !== 'adamw' && c.l2 > 0)
    lines.push(`# Keras L2(${py(c.l2)}) adds ${py(c.l2)}·Σw² to the loss, gradient 2·${py(c.l2)}·w: weight_decay = 2·l2.`);
  if (c.optimizer !== 'sgd')
    lines.push("# Adam's ε: Keras adds it to √v before bias correction, PyTorch after — equal once t ≫ 1000 steps.");
  lines.push(
    `optimizer = ${optimizer}`,
    'loss_fn = nn.CrossEntropyLoss()',
    '',
    `for epoch in range(${c.epochs}):`,
    '    model.train()',
    '    for x, y in loader:',
    '        optimizer.zero_grad()',
    '        loss_fn(model(x), y).backward()',
  );
  if (c.clipNorm !== null)
    lines.push(`        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=${py(c.clipNorm)})  # one global norm`);
  if (c.clipValue !== null) lines.push(`        torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=${py(c.clipValue)})`);
  lines.push(
    '        optimizer.step()',
    '    model.eval()  # BN uses its running statistics, dropout is off',
    '    with torch.no_grad():',
    '        x, y = next(iter(torch.utils.data.DataLoader(val_set, batch_size=len(val_set))))',
    '        print(epoch + 1, "val accuracy", (model(x).argmax(1) == y).float().mean().item())',
  );
  if (c.norm === 'batch')
    lines.push('# PyTorch feeds running_var the unbiased batch variance (×N/(N−1)); Keras and the engine use the biased one.');
  return `${lines.join('\n')}\n`;
}

export function frameworkCode(config: Partial<TrainConfig>): FrameworkCode {
  return { keras: kerasCode(config), pytorch: pytorchCode(config) };
}
