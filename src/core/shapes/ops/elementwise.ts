import { DataType, isFloatType } from '../../onnx/dataType';
import type { InferContext, ShapeRule, TensorFact } from '../types';
import { broadcast, castValue, fact, foldBroadcast } from '../util';

type Fold = (...xs: number[]) => number;

/** Same shape and dtype as input 0; folds when the value is known. */
function unary(f?: Fold, dtype?: number): ShapeRule {
  return (ctx) => {
    const x = ctx.input(0);
    if (!x) return [];
    const outType = dtype ?? x.dtype;
    const data = f && x.value && x.shape ? foldBroadcast([x.value], x.shape, (v) => castValue(f(v), outType)) : undefined;
    return [fact(outType, x.shape, data)];
  };
}

/** Multidirectional broadcast of all inputs (Add, Mul, Where, Sum, …). */
function nary(f?: Fold, outType?: (ctx: InferContext) => number): ShapeRule {
  return (ctx) => {
    const inputs: TensorFact[] = [];
    for (let i = 0; i < ctx.inputCount; i++) {
      const x = ctx.input(i);
      if (x) inputs.push(x);
    }
    const first = inputs[0];
    if (!first) return [];
    const dtype = outType ? outType(ctx) : first.dtype;
    if (inputs.some((x) => !x.shape)) return [{ dtype, shape: undefined }];
    const shape = broadcast(...inputs.map((x) => x.shape as number[]));
    const data = f ? foldBroadcast(inputs.map((x) => x.value), shape, (...v) => castValue(f(...v), dtype)) : undefined;
    return [fact(dtype, shape, data)];
  };
}

const bool = (): number => DataType.BOOL;
const secondInput = (ctx: InferContext): number => ctx.input(1)?.dtype ?? 0;

const intDiv = (a: number, b: number): number => (b === 0 ? 0 : Math.trunc(a / b));

function divide(ctx: InferContext): ShapeRule {
  const dtype = ctx.input(0)?.dtype ?? 0;
  return nary(isFloatType(dtype) ? (a, b) => a / b : intDiv);
}

function mod(ctx: InferContext): ShapeRule {
  const fmod = ctx.int('fmod', 0) === 1;
  return nary((a, b) => {
    if (b === 0) return 0;
    const r = a % b;
    return fmod || r === 0 || Math.sign(r) === Math.sign(b) ? r : r + b;
  });
}

const activation = unary();

/** Numbers are not folded into strings (their text form is ONNX Runtime's, not JavaScript's). */
const castTo = (to: number): ShapeRule => unary(to === DataType.STRING ? undefined : (a) => a, to);

export const elementwiseRules: Record<string, ShapeRule> = {
  Add: nary((a, b) => a + b),
  Sub: nary((a, b) => a - b),
  Mul: nary((a, b) => a * b),
  Div: (ctx) => divide(ctx)(ctx),
  Pow: nary((a, b) => a ** b),
  Mod: (ctx) => mod(ctx)(ctx),
  Max: nary(Math.max),
  Min: nary(Math.min),
  Sum: nary((...xs) => xs.reduce((a, b) => a + b, 0)),
  Mean: nary((...xs) => xs.reduce((a, b) => a + b, 0) / xs.length),
  BitShift: nary(),
  BitwiseAnd: nary(),
  BitwiseOr: nary(),
  BitwiseXor: nary(),
  PRelu: nary(),
  Equal: nary((a, b) => (a === b ? 1 : 0), bool),
  Greater: nary((a, b) => (a > b ? 1 : 0), bool),
  GreaterOrEqual: nary((a, b) => (a >= b ? 1 : 0), bool),
  Less: nary((a, b) => (a < b ? 1 : 0), bool),
  LessOrEqual: nary((a, b) => (a <= b ? 1 : 0), bool),
  And: nary((a, b) => (a && b ? 1 : 0), bool),
  Or: nary((a, b) => (a || b ? 1 : 0), bool),
  Xor: nary((a, b) => (!!a !== !!b ? 1 : 0), bool),
  Where: nary((c, a, b) => (c ? a : b), secondInput),
  Not: unary((a) => (a ? 0 : 1)),
  Neg: unary((a) => -a),
  Abs: unary(Math.abs),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  Round: unary((a) => {
    const r = Math.round(a);
    return Math.abs(a % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }),
  Sqrt: unary(Math.sqrt),
  Reciprocal: unary((a) => 1 / a),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Sign: unary(Math.sign),
  IsNaN: unary((a) => (Number.isNaN(a) ? 1 : 0), DataType.BOOL),
  IsInf: unary(undefined, DataType.BOOL),
  BitwiseNot: unary(),
  Relu: unary((a) => Math.max(0, a)),
  Clip: activation,
  Sigmoid: activation,
  HardSigmoid: activation,
  HardSwish: activation,
  Tanh: activation,
  LeakyRelu: activation,
  Elu: activation,
  Selu: activation,
  Celu: activation,
  Gelu: activation,
  Erf: activation,
  Mish: activation,
  Softplus: activation,
  Softsign: activation,
  ThresholdedRelu: activation,
  Shrink: activation,
  Sin: activation,
  Cos: activation,
  Tan: activation,
  Asin: activation,
  Acos: activation,
  Atan: activation,
  Sinh: activation,
  Cosh: activation,
  Asinh: activation,
  Acosh: activation,
  Atanh: activation,
  Identity: (ctx) => {
    const x = ctx.input(0);
    return x ? [x] : [];
  },
  Cast: (ctx) => castTo(ctx.int('to'))(ctx),
  CastLike: (ctx) => castTo(ctx.input(1)?.dtype ?? 0)(ctx),
  Dropout: (ctx) => {
    const x = ctx.input(0);
    if (!x) return [];
    // Identity only in inference mode (ONNX Dropout-12: training_mode is input 2, default false).
    const training = ctx.input(2) ? (ctx.input(2)?.value?.data[0] ?? 1) !== 0 : false;
    return [training ? { dtype: x.dtype, shape: x.shape } : x, { dtype: DataType.BOOL, shape: x.shape }];
  },
};
