#!/usr/bin/python3
# onnx.checker.check_model(full_check=True) over many models in one Python process (its start-up, with onnx
# imported, takes about a second): `npm run conformance` and `npm run check:written` run it on the models
# lithe wrote. Use a Python that has the onnx package (Debian's python3-onnx: /usr/bin/python3).
#
#   onnx-check.py LIST    LIST: a file with one model path per line
#
# Prints one JSON object per line: {"path", "status": "ok" | "fail" | "skipped", "message"}. A model of an
# IR version or default-domain opset newer than this onnx knows is "skipped" with the reason: the checker
# refuses such models outright, whatever they hold, so its verdict would say nothing about them.
import json
import sys

import onnx
from onnx import checker, defs

MAX_IR = onnx.IR_VERSION
MAX_OPSET = defs.onnx_opset_version()


def verdict(path):
    try:
        model = onnx.load(path)
    except Exception as e:  # noqa: BLE001 - any failure to read is the verdict
        return 'fail', f'onnx.load: {first_line(e)}'
    opsets = [o.version for o in model.opset_import if o.domain in ('', 'ai.onnx')]
    if model.ir_version > MAX_IR:
        return 'skipped', f'IR version {model.ir_version} is newer than onnx {onnx.__version__} checks ({MAX_IR})'
    if opsets and opsets[0] > MAX_OPSET:
        return 'skipped', f'opset {opsets[0]} is newer than onnx {onnx.__version__} checks ({MAX_OPSET})'
    try:
        checker.check_model(model, full_check=True)
    except Exception as e:  # noqa: BLE001
        return 'fail', first_line(e)
    return 'ok', ''


def first_line(e):
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        paths = [line.rstrip('\n') for line in f if line.strip()]
    for path in paths:
        status, message = verdict(path)
        print(json.dumps({'path': path, 'status': status, 'message': message}), flush=True)


if __name__ == '__main__':
    main()
