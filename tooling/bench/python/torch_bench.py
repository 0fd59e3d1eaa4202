"""PyTorch peer of cnnkit's bench (CPU, or CUDA with --device cuda): the tutorial CNN,
same shapes and optimizer.

Prints one JSON object per requested task on stdout, e.g.
  {"engine": "pytorch", "task": "train", "size": 128, "batch": 32, "imagesPerSecond": 41.2, "repeats": 5}
Runs channels-last (NHWC in memory), PyTorch's faster layout for convolutions on CPU
and on NVIDIA tensor-core GPUs, fp32 (TF32 off, so it computes what cnnkit computes),
with a fixed thread count so the run is comparable with the other engines. Every
timed step reads its loss back (.item()), which waits for the GPU.
"""

import argparse
import json
import statistics
import sys
import time

import torch
from torch import nn


class TutorialCnn(nn.Module):
    """cnnkit's seedCnn: Rescaling(1/255), 4 x (Conv 3x3 same + ReLU + MaxPool 2), GAP, Dense(1, sigmoid)."""

    def __init__(self) -> None:
        super().__init__()
        layers = []
        channels = 3
        for filters in (16, 32, 64, 128):
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
            channels = filters
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.features(x * (1.0 / 255.0))
        x = torch.mean(x, dim=(2, 3))
        return torch.sigmoid(self.head(x))


def measure(run, images: int, warmup: int, repeats: int) -> float:
    for _ in range(warmup):
        run()
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        rates.append(images / (time.perf_counter() - t0))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tasks", default="train,infer")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    device = torch.device(args.device)
    if args.device == "cuda":
        if not torch.cuda.is_available():
            sys.exit("torch_bench.py: --device cuda, but torch.cuda.is_available() is False")
        # fp32 means fp32: TF32 matmuls/convolutions would compute less than cnnkit does.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cudnn.benchmark = True
    size, batch = args.size, args.batch
    # NHWC bytes viewed as NCHW: that view is exactly the channels-last layout, no copy.
    images = torch.randint(0, 256, (batch, size, size, 3)).float().to(device).permute(0, 3, 1, 2)
    assert images.is_contiguous(memory_format=torch.channels_last)
    labels = (torch.arange(batch) % 2).float().reshape(batch, 1).to(device)
    model = TutorialCnn().to(device=device, memory_format=torch.channels_last)
    # Keras RMSprop defaults (learning rate 1e-3, rho 0.9, epsilon 1e-7), as cnnkit's.
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = nn.BCELoss()

    def train_step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        loss.item()

    def infer() -> None:
        with torch.inference_mode():
            model(images).sum().item()

    for task in args.tasks.split(","):
        if task == "train":
            model.train()
            rate = measure(train_step, batch, args.warmup, args.repeats)
        elif task == "infer":
            model.eval()
            rate = measure(infer, batch, args.warmup, args.repeats)
        else:
            sys.exit(f"torch_bench.py: unknown task {task!r}; expected train or infer")
        print(json.dumps({
            "engine": "pytorch" if args.device == "cpu" else "pytorch-cuda", "task": task, "size": size, "batch": batch,
            "imagesPerSecond": rate, "repeats": args.repeats,
            "torch": torch.__version__, "threads": torch.get_num_threads(),
            "device": torch.cuda.get_device_name(0) if args.device == "cuda" else "cpu",
        }), flush=True)


if __name__ == "__main__":
    main()
