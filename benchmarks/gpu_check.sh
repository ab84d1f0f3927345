#!/usr/bin/env bash
# GPU check for the device machine (not part of CI): lesson 06's CNN training on Keras' JAX backend.
# That machine has JAX (CUDA) but no TensorFlow, no OpenCV and no registry, so Keras, its two small
# dependencies and psutil travel as wheels in .whl/, and the training images as .whl/arrays.npz, made here by
#   .venv/bin/python -c "from benchmarks.run import training_arrays; training_arrays('.whl/arrays.npz')"
# Usage there: bash benchmarks/gpu_check.sh OUTDIR
set -euo pipefail
out=${1:?give an output folder}
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site \
  .whl/keras-*.whl .whl/namex-*.whl .whl/optree-*.whl .whl/psutil-*.whl
export PYTHONPATH=/tmp/site:$PWD KERAS_BACKEND=jax PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
python3 -c "import jax, keras; print('jax', jax.__version__, jax.devices(), 'keras', keras.__version__, keras.backend.backend())" | tee -a "$out/gpu.txt"
python3 benchmarks/run.py --only training --repeat 3 --arrays .whl/arrays.npz --json "$out/gpu.json" 2>&1 | tee "$out/gpu_table.md"
