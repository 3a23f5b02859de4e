# make demo      — 安装并在内置示例上跑一遍主流程 / set up and run the main job
# make test      — 安装并运行全部测试 / set up and run the whole test suite
# make test-fast — 只跑快测试（假模型，不加载模型、不起服务）/ the fast tier: fakes only
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
LLAMA  := $(VENV)/.llama-cpp
STAMP  := $(VENV)/.installed
# llama.cpp's native build enables AMX kernels that crash (SIGSEGV) on some
# virtual machines; a portable AVX2 build runs everywhere this project runs.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: setup demo test test-fast lint-imports clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# llama-cpp-python compiles from source (about 4 minutes on 2 cores). The wheel
# cache is skipped so a wheel built with other CMake flags is never reused.
$(LLAMA): | $(PY)
	@echo "正在编译 llama-cpp-python（约 4 分钟）/ compiling llama-cpp-python (~4 min)…"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install --no-cache-dir "llama-cpp-python[server]==0.3.36"
	touch $@

$(STAMP): pyproject.toml $(LLAMA)
	$(PIP) install -e ".[dev]"
	touch $@

setup: $(STAMP)

demo: setup
	$(VENV)/bin/ipwriter demo

# pytest exits 5 when it collects no tests; that is not a failure of the run.
test: setup
	$(PY) -m pytest --durations=15; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# The edit-test loop: fake embedder and scripted chat models, no model load, no server.
test-fast: setup
	$(PY) -m pytest -m "not model and not server and not browser"

# The layers and the no-cycle rule (contracts in pyproject.toml; also a test).
lint-imports: setup
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) .ipwriter .pytest_cache
