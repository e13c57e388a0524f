#!/usr/bin/python3
# Dumps the ONNX operator schemas of the default domain (every version of every op) into
# src/onnx/schema/op-schemas.json, the table lithe's verifier checks nodes against. Run with a Python that
# has the onnx package (Debian's python3-onnx: `/usr/bin/python3 scripts/op-schemas.py`, or
# `npm run op-schemas`); lithe itself never runs Python, it reads the committed JSON.
#
# Format, kept compact (one line per op):
#   { "onnx": VERSION, "maxOpset": N, "dtypes": [names by dtype number],
#     "ops": { OP: [ [since, deprecated, [minIn, maxIn], [minOut, maxOut], {attr: code}, [input...], only?], ... ] } }
#   attr code: the attribute type's letter (f i s t g p y: float int string tensor graph sparse-tensor
#   type-proto), upper case for lists, prefixed with "!" when required.
#   input: [typeParam, allowedMask, option]: the type parameter shared with other inputs ("" for a fixed
#   type), a bit mask of the tensor dtypes it accepts (bit k: dtype k; 0: not only tensors, unchecked) and
#   0 single, 1 optional, 2 variadic (all of one type), 3 variadic of mixed types. A max count of null
#   means unbounded. `only`, where present, lists the counts allowed within the range when not all are
#   ({"o": [1, 5]}: BatchNormalization has 1 or 5 outputs), as onnx's own checker answers for each count.
import json
import os
import sys

import onnx
from onnx import checker, defs, helper

ATTR = {'FLOAT': 'f', 'INT': 'i', 'STRING': 's', 'TENSOR': 't', 'GRAPH': 'g', 'SPARSE_TENSOR': 'p', 'TYPE_PROTO': 'y'}
OPTION = {"Single": 0, "Optional": 1, "Variadic": 2}
UNBOUNDED = 2147483647
DTYPES = {name.lower(): number for name, number in onnx.TensorProto.DataType.items()}


def attr_code(a):
    name = str(a.type).split('.')[-1]
    code = ATTR.get(name) or ATTR[name[:-1]].upper()
    return ('!' if a.required else '') + code


def mask(allowed):
    """Bit mask of the tensor dtypes in `allowed`; 0 when any allowed type is not a plain tensor."""
    m = 0
    for t in allowed:
        if not (t.startswith('tensor(') and t.endswith(')')):
            return 0
        m |= 1 << DTYPES[t[7:-1]]
    return m


def formal(schema, p):
    constraints = {c.type_param_str: list(c.allowed_type_strs) for c in schema.type_constraints}
    param = p.typeStr if p.typeStr in constraints else ''
    allowed = constraints[param] if param else [p.typeStr]
    option = OPTION[str(p.option).split('.')[-1]]
    return [param, mask(allowed), 3 if option == 2 and not p.isHomogeneous else option]


def bound(n):
    return None if n >= UNBOUNDED else n


PROBED = 8  # counts beyond min + PROBED are taken as allowed: no op restricts them


def allowed(s, which):
    """The input (or output) counts onnx's checker accepts within the schema's range, if not all of them."""
    lo, hi = (s.min_input, s.max_input) if which == 'i' else (s.min_output, s.max_output)
    ctx = checker.C.CheckerContext()
    ctx.ir_version = 8
    ctx.opset_imports = {'': s.since_version}
    ok = []
    for n in range(lo, min(hi, lo + PROBED) + 1):
        ins = n if which == 'i' else max(s.min_input, 1)
        outs = n if which == 'o' else max(s.min_output, 1)
        node = helper.make_node(s.name, [f'i{k}' for k in range(ins)], [f'o{k}' for k in range(outs)])
        try:
            checker.check_node(node, ctx)
        except Exception as e:  # only the count is asked about: other complaints (attributes) do not count
            if f'{"input" if which == "i" else "output"} size' in str(e):
                continue
        ok.append(n)
    return None if len(ok) == min(hi, lo + PROBED) - lo + 1 else ok


def version(s):
    v = [s.since_version, 1 if s.deprecated else 0, [s.min_input, bound(s.max_input)], [s.min_output, bound(s.max_output)],
         {k: attr_code(a) for k, a in sorted(s.attributes.items())}, [formal(s, p) for p in s.inputs]]
    only = {k: a for k in ('i', 'o') for a in [None if s.deprecated else allowed(s, k)] if a is not None}
    return v + [only] if only else v


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'onnx', 'schema', 'op-schemas.json'))
    ops = {}
    for s in defs.get_all_schemas_with_history():
        if s.domain in ('', 'ai.onnx'):
            ops.setdefault(s.name, []).append(version(s))
    for versions in ops.values():
        versions.sort(key=lambda v: v[0])
    names = [''] * (max(DTYPES.values()) + 1)
    for name, number in DTYPES.items():
        names[number] = name
    lines = [f'  {json.dumps(op)}: {json.dumps(ops[op], separators=(",", ":"))}' for op in sorted(ops)]
    head = {'onnx': onnx.__version__, 'maxOpset': defs.onnx_opset_version(), 'dtypes': names}
    with open(out, 'w') as f:
        f.write(json.dumps(head, separators=(',', ':'))[:-1] + ',"ops":{\n' + ',\n'.join(lines) + '\n}}\n')
    print(f'{out}: {len(ops)} ops, opsets up to {head["maxOpset"]} (onnx {onnx.__version__})')


main()
