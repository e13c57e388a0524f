// Darknet's activations (activations.c) as standard ONNX ops, for [convolutional] and [shortcut]. Mish and
// swish are built from Softplus, Tanh, Sigmoid and Mul: Mish is an ONNX op only from opset 18, lithe writes 13.
import { node, tensor } from '../onnx/make.ts';
import type { Builder } from './builder.ts';

type Activation = (b: Builder, p: string, x: string, y: string) => void;

const one = (op: string, attrs: Record<string, number> = {}): Activation => (b, p, x, y) => { b.nodes.push(node(op, [x], [y], attrs, `${p}.act`)); };

export const ACTIVATIONS: Record<string, Activation> = {
  leaky: one('LeakyRelu', { alpha: 0.1 }),
  linear: one('Identity'),
  logistic: one('Sigmoid'),
  // x * tanh(softplus(x)); darknet's softplus threshold (20) changes nothing a float32 tanh can show
  mish: (b, p, x, y) => {
    b.nodes.push(node('Softplus', [x], [`${p}.sp`], {}, `${p}.softplus`), node('Tanh', [`${p}.sp`], [`${p}.th`], {}, `${p}.tanh`), node('Mul', [x, `${p}.th`], [y], {}, `${p}.act`));
  },
  relu: one('Relu'),
  relu6: (b, p, x, y) => {
    b.inits.push(tensor(`${p}.min`, [], Float32Array.of(0)), tensor(`${p}.max`, [], Float32Array.of(6)));
    b.nodes.push(node('Clip', [x, `${p}.min`, `${p}.max`], [y], {}, `${p}.act`));
  },
  // x * sigmoid(x)
  swish: (b, p, x, y) => { b.nodes.push(node('Sigmoid', [x], [`${p}.sig`], {}, `${p}.sig`), node('Mul', [x, `${p}.sig`], [y], {}, `${p}.act`)); },
  tanh: one('Tanh'),
};

export const activationNames = (): string => Object.keys(ACTIVATIONS).join(', ');
