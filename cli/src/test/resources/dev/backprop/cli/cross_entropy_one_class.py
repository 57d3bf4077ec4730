#!/usr/bin/env python3
"""The PyTorch (float64) numbers that CommandsTest.crossEntropyWithOnlyLabelThreeMatchesPyTorch compares with.

A hand-written 3-3-4 network (sigmoid hidden layer, 4 outputs, cross-entropy on the logits) and three samples
that all hold class 3: the loss is F.cross_entropy (mean over samples) and the gradients of every weight and bias.
Run with Debian's python3-torch: /usr/bin/python3 cross_entropy_one_class.py
"""
import json
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
W1 = torch.tensor([[0.2, -0.4, 0.1], [0.5, 0.3, -0.2], [-0.3, 0.8, 0.6]], requires_grad=True)
b1 = torch.tensor([0.1, -0.1, 0.05], requires_grad=True)
W2 = torch.tensor([[0.3, -0.2, 0.4], [-0.5, 0.1, 0.2], [0.7, 0.6, -0.3], [0.2, -0.8, 0.5]], requires_grad=True)
b2 = torch.tensor([0.0, 0.1, -0.2, 0.3], requires_grad=True)
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-0.75, 0.5, 1.0]])
y = torch.tensor([3, 3, 3])
loss = F.cross_entropy(torch.sigmoid(x @ W1.T + b1) @ W2.T + b2, y)
loss.backward()
print(json.dumps({"loss": loss.item(), "W1": W1.grad.tolist(), "b1": b1.grad.tolist(),
                  "W2": W2.grad.tolist(), "b2": b2.grad.tolist()}))
