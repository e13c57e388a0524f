#!/usr/bin/env python3
"""Reference data for lithe's COCO evaluator (src/metrics/coco.ts).

Builds detection-evaluation cases deterministically (numpy RandomState, fixed seed: its stream is frozen
across numpy versions, unlike default_rng's) and runs each through the reference evaluator, pycocotools'
COCOeval (bbox). Writes test/data/coco-reference.json, a list of cases

    { name, gt: {images, annotations, categories}, detections: [...], stats: [12], perClass: {catId: AP} }

which test/coco-reference.test.ts compares against evaluateCoco to 1e-4.

    python3 scripts/coco-reference.py

Needs pycocotools (2.0.11 when the data was made) and numpy. A dev tool: CI does not run it, the test reads the
stored JSON. Coordinates are rounded to 2 decimals and scores to 4, so both sides parse the same doubles.
"""
import contextlib
import copy
import io
import json
import os

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

SEED = 20240611
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'data', 'coco-reference.json')
IMAGE_W, IMAGE_H = 640, 480


def r2(x):
    return round(float(x), 2)


def r4(x):
    return round(float(x), 4)


# ---------------------------------------------------------------- reference evaluation

def coco_from(dataset):
    """A COCO object from a dict, as COCO(file) would build it (createIndex prints, hence the redirect)."""
    coco = COCO()
    coco.dataset = dataset
    coco.createIndex()
    return coco


def evaluate(gt, detections):
    """COCOeval stats and per-class AP @[.5:.95], all areas, maxDets 100, for one case; prints silenced."""
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = coco_from(copy.deepcopy(gt))
        # loadRes fails on an empty list and rewrites the dicts it gets (id, area, iscrowd): no detections
        # means a results set with the ground truth's images and classes and no annotations
        if detections:
            coco_dt = coco_gt.loadRes(copy.deepcopy(detections))
        else:
            coco_dt = coco_from({'images': gt['images'], 'categories': gt['categories'], 'annotations': []})
        ev = COCOeval(coco_gt, coco_dt, 'bbox')
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return [float(s) for s in ev.stats], per_class(ev)


def per_class(ev):
    """As summarize() does for stats[0], restricted to class k: the mean of the entries above -1, else -1."""
    out = {}
    for k, cat in enumerate(ev.params.catIds):
        s = ev.eval['precision'][:, :, k, 0, -1]
        s = s[s > -1]
        out[str(cat)] = float(np.mean(s)) if s.size else -1.0
    return out


# ---------------------------------------------------------------- building blocks

def image(id):
    return {'id': id, 'width': IMAGE_W, 'height': IMAGE_H}


class Case:
    """Ground truth and detections under construction; annotation ids from 1, as in COCO files."""

    def __init__(self, name, image_ids, cat_ids):
        self.name = name
        self.gt = {'images': [image(i) for i in image_ids], 'annotations': [], 'categories': [{'id': c} for c in cat_ids]}
        self.detections = []

    def ann(self, image_id, cat, bbox, area=None, iscrowd=0, **extra):
        bbox = [r2(v) for v in bbox]
        a = {'id': len(self.gt['annotations']) + 1, 'image_id': image_id, 'category_id': cat, 'bbox': bbox,
             'area': r2(bbox[2] * bbox[3]) if area is None else r2(area), 'iscrowd': iscrowd, **extra}
        self.gt['annotations'].append(a)
        return a

    def det(self, image_id, cat, bbox, score):
        self.detections.append({'image_id': image_id, 'category_id': cat, 'bbox': [r2(v) for v in bbox], 'score': r4(score)})

    def done(self):
        stats, per = evaluate(self.gt, self.detections)
        return {'name': self.name, 'gt': self.gt, 'detections': self.detections, 'stats': stats, 'perClass': per}


# ---------------------------------------------------------------- random cases

def random_box(rng):
    """Side from 4 to 300 px on a log scale, so small (< 32²), medium and large (> 96²) areas all occur."""
    side = float(np.exp(rng.uniform(np.log(4), np.log(300))))
    aspect = float(np.exp(rng.uniform(np.log(0.5), np.log(2))))
    w = min(side * np.sqrt(aspect), IMAGE_W - 1)
    h = min(side / np.sqrt(aspect), IMAGE_H - 1)
    return [rng.uniform(0, IMAGE_W - w), rng.uniform(0, IMAGE_H - h), w, h]


def jitter(rng, box, scale):
    x, y, w, h = box
    return [x + rng.normal(0, scale * w), y + rng.normal(0, scale * h),
            max(1.0, w * (1 + rng.normal(0, scale))), max(1.0, h * (1 + rng.normal(0, scale)))]


def random_case(rng, index):
    n_images = int(rng.choice([2, 3, 5, 8, 12, 20, 40], p=[.2, .2, .2, .15, .1, .1, .05]))
    cats = sorted(int(c) for c in rng.choice(np.arange(1, 91), size=int(rng.randint(1, 7)), replace=False))
    gt_cats = cats if len(cats) == 1 else [c for c in cats if rng.rand() < 0.85] or cats[:1]
    image_ids = [int(i) for i in rng.choice(np.arange(1, 1000), size=n_images, replace=False)]
    case = Case(f'random {index:02d}', image_ids, cats)
    max_gt = int(rng.choice([3, 10, 30]))
    for img in image_ids:
        for _ in range(int(rng.randint(0, max_gt + 1))):
            random_object(rng, case, img, int(rng.choice(gt_cats)))
        many = rng.rand() < 0.08  # now and then an image with more than 100 detections
        for _ in range(int(rng.randint(100, 140)) if many else int(rng.randint(0, 6))):
            case.det(img, int(rng.choice(cats)), random_box(rng), rng.rand())
    shuffle(rng, case)
    return case.done()


def random_object(rng, case, img, cat):
    box = random_box(rng)
    crowd = int(rng.rand() < 0.07)
    # a segmentation-like area (below w*h) on some objects: the evaluator must read `area`, not the box
    area = box[2] * box[3] * (rng.uniform(0.5, 1) if rng.rand() < 0.3 else 1)
    case.ann(img, cat, box, area=area, iscrowd=crowd)
    found = rng.rand() < (0.4 if crowd else 0.8)
    for _ in range(int(rng.choice([1, 1, 1, 2, 3])) if found else 0):
        case.det(img, cat, jitter(rng, box, rng.choice([0.03, 0.1, 0.25])), rng.uniform(0.2, 1))


def shuffle(rng, case):
    """Neither annotations nor detections arrive grouped or sorted: order matters for ties and gt order."""
    anns = case.gt['annotations']
    case.gt['annotations'] = [anns[i] for i in rng.permutation(len(anns))]
    dets = case.detections
    case.detections = [dets[i] for i in rng.permutation(len(dets))]


# ---------------------------------------------------------------- named cases

def score_ties():
    case = Case('score ties', [1, 2], [1])
    for img in (1, 2):
        for x in (0, 100, 200):
            case.ann(img, 1, [x, 0, 50, 50])
    # equal scores mixing hits and misses across both images: the stable order decides precision
    for img, x in ((1, 300), (1, 0), (2, 100), (2, 400), (1, 100), (2, 0), (1, 500), (2, 200)):
        case.det(img, 1, [x + 1, 1, 50, 50], 0.5)
    case.det(1, 1, [200, 0, 50, 50], 0.7)
    case.det(2, 1, [600, 0, 20, 20], 0.7)
    return case.done()


def no_detections():
    case = Case('no detections at all', [1, 2], [1, 2])
    case.ann(1, 1, [10, 10, 20, 20])
    case.ann(1, 2, [100, 100, 60, 60])
    case.ann(2, 2, [0, 0, 200, 150])
    return case.done()


def classes_without_gt():
    case = Case('classes without ground truth', [1, 2], [1, 3, 7, 9])
    case.ann(1, 3, [10, 10, 40, 40])
    case.ann(2, 3, [300, 200, 120, 100])
    case.det(1, 3, [11, 10, 40, 41], 0.9)
    case.det(2, 3, [300, 205, 118, 100], 0.6)
    case.det(1, 7, [50, 50, 30, 30], 0.95)  # class 7: detections, no ground truth
    case.det(2, 7, [0, 0, 300, 300], 0.3)
    return case.done()  # class 1 and 9: neither


def duplicate_detections():
    case = Case('duplicate detections of one object', [1], [1])
    case.ann(1, 1, [100, 100, 80, 60])
    case.ann(1, 1, [300, 100, 40, 40])
    for dx, score in ((0, 0.9), (1, 0.85), (2, 0.95), (0, 0.9), (4, 0.3)):
        case.det(1, 1, [100 + dx, 100, 80, 60], score)
    case.det(1, 1, [301, 101, 40, 40], 0.4)
    return case.done()


def over_100_per_image(rng):
    case = Case('more than 100 detections per image', [1, 2], [1, 2])
    for img in (1, 2):
        for k in range(12):
            case.ann(img, 1 + k % 2, [40 * k, 50 * (k % 3), 30 + k, 30 + 2 * k])
    # 130 low-scored false positives on image 1, then the hits scored lowest: beyond the 100 kept
    for _ in range(130):
        case.det(1, 1, random_box(rng), rng.uniform(0.5, 1))
    for a in case.gt['annotations']:
        case.det(a['image_id'], a['category_id'], a['bbox'], 0.45 if a['image_id'] == 1 else rng.uniform(0.1, 1))
    return case.done()


def crowd_region():
    case = Case('detections on a crowd region', [1], [1])
    case.ann(1, 1, [0, 0, 300, 300], iscrowd=1)
    case.ann(1, 1, [50, 50, 40, 40])
    case.ann(1, 1, [400, 50, 40, 40])
    case.det(1, 1, [10, 10, 20, 20], 0.99)   # inside the crowd only: ignored
    case.det(1, 1, [200, 200, 30, 30], 0.98)  # again: a crowd takes several
    case.det(1, 1, [51, 50, 40, 40], 0.7)     # the real object inside the crowd: a hit
    case.det(1, 1, [52, 51, 40, 40], 0.8)     # its duplicate: falls back on the crowd
    case.det(1, 1, [500, 300, 30, 30], 0.75)  # a false positive
    return case.done()


def crowd_only_class():
    case = Case('a class with only crowd ground truth', [1], [1, 2])
    case.ann(1, 1, [0, 0, 100, 100], iscrowd=1)
    case.det(1, 1, [10, 10, 50, 50], 0.9)
    case.ann(1, 2, [200, 200, 50, 50])
    case.det(1, 2, [200, 200, 50, 50], 0.9)
    return case.done()


def area_boundaries():
    case = Case('areas exactly 32² and 96²', [1, 2], [1])
    case.ann(1, 1, [0, 0, 32, 32])               # area 1024: small and medium at once
    case.ann(1, 1, [100, 0, 96, 96])             # area 9216: medium and large at once
    case.ann(1, 1, [300, 0, 16, 64])             # 1024 from another shape
    case.ann(1, 1, [400, 0, 50, 50], area=1024)  # w*h 2500, but the `area` field says 1024
    case.ann(2, 1, [0, 0, 31.99, 32])
    case.ann(2, 1, [100, 0, 96.01, 96])
    case.det(1, 1, [0, 0, 32, 32], 0.9)
    case.det(1, 1, [100, 0, 96, 96], 0.8)
    case.det(1, 1, [300, 0, 16, 64], 0.7)
    case.det(1, 1, [400, 0, 50, 50], 0.6)
    case.det(2, 1, [0, 0, 31.99, 32], 0.5)
    case.det(2, 1, [100, 0, 96.01, 96], 0.4)
    # unmatched detections exactly on the boundaries: false positives in both neighbouring ranges
    case.det(2, 1, [300, 300, 32, 32], 0.95)
    case.det(2, 1, [400, 300, 96, 96], 0.85)
    return case.done()


def iou_at_thresholds():
    case = Case('IoU exactly at each threshold', list(range(1, 12)), [1])
    # a 10-wide box against 10x10 ground truth, heights 5, 5.5, ..., 10: IoU exactly 0.50, 0.55, ..., 1
    for k in range(11):
        case.ann(k + 1, 1, [0, 0, 10, 10])
        case.det(k + 1, 1, [0, 0, 10, 5 + k / 2], 0.5 + k / 40)
    return case.done()


def zero_detections_for_one_class():
    case = Case('zero detections for one class', [1, 2], [1, 2, 3])
    for img in (1, 2):
        case.ann(img, 1, [10, 10, 100, 80])
        case.ann(img, 2, [200, 200, 20, 20])
        case.ann(img, 3, [300, 50, 60, 60])
        case.det(img, 1, [12, 10, 100, 80], 0.8)
        case.det(img, 3, [300, 52, 60, 58], 0.6)
    return case.done()


def image_without_annotations():
    case = Case('an image with no annotations', [1, 2, 3], [1])
    case.ann(1, 1, [10, 10, 50, 50])
    case.ann(3, 1, [100, 100, 150, 120])
    case.det(1, 1, [10, 10, 50, 50], 0.9)
    case.det(2, 1, [10, 10, 50, 50], 0.95)  # image 2 has no ground truth: false positives
    case.det(2, 1, [200, 10, 150, 150], 0.2)
    case.det(3, 1, [100, 100, 150, 120], 0.5)
    return case.done()


def ignore_flag():
    # COCOeval overwrites `ignore` with `iscrowd`: an ignore flag on a non-crowd object changes nothing
    case = Case('an ignore flag on a non-crowd object', [1], [1])
    case.ann(1, 1, [10, 10, 50, 50], ignore=1)
    case.ann(1, 1, [100, 10, 50, 50])
    case.det(1, 1, [10, 10, 50, 50], 0.9)
    case.det(1, 1, [300, 10, 50, 50], 0.8)
    return case.done()


def unknown_class():
    case = Case('detections of a class not in categories', [1], [1])
    case.ann(1, 1, [10, 10, 50, 50])
    case.det(1, 5, [10, 10, 50, 50], 0.99)
    case.det(1, 1, [12, 10, 50, 50], 0.5)
    return case.done()


def main():
    rng = np.random.RandomState(SEED)
    cases = [score_ties(), no_detections(), classes_without_gt(), duplicate_detections(), over_100_per_image(rng),
             crowd_region(), crowd_only_class(), area_boundaries(), iou_at_thresholds(), zero_detections_for_one_class(),
             image_without_annotations(), ignore_flag(), unknown_class()]
    cases += [random_case(rng, i) for i in range(30)]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(cases, f, separators=(',', ':'))
        f.write('\n')
    print(f'{len(cases)} cases, {os.path.getsize(OUT)} bytes -> {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
