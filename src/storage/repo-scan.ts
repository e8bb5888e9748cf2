/**
 * The repository scan of `gait init` and `gait check` (artifacts.md §7): agent frameworks named in
 * dependency manifests, and tool names found in intent files (`*.json` with a `tool_name`, JSONL lines
 * with `tool_name` or `intent.tool_name`). Bounded: depth 4, at most 2,000 files, small files only,
 * dependency and build directories skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareCodePoints } from '../schema/v1/text.js';

export interface RepoScan {
  /** sorted */
  readonly frameworks: readonly string[];
  /** sorted, lowercased */
  readonly toolNames: readonly string[];
}

/** Dependency name (npm, PyPI, Go module) → framework signal. */
const FRAMEWORKS: Readonly<Record<string, string>> = {
  '@modelcontextprotocol/sdk': 'mcp',
  '@modelcontextprotocol/server': 'mcp',
  '@modelcontextprotocol/client': 'mcp',
  mcp: 'mcp',
  'github.com/mark3labs/mcp-go': 'mcp',
  'github.com/modelcontextprotocol/go-sdk': 'mcp',
  langchain: 'langchain',
  '@langchain/core': 'langchain',
  'langchain-core': 'langchain',
  langgraph: 'langgraph',
  '@langchain/langgraph': 'langgraph',
  openai: 'openai',
  '@openai/agents': 'openai-agents',
  'openai-agents': 'openai-agents',
  '@anthropic-ai/sdk': 'anthropic',
  anthropic: 'anthropic',
  '@anthropic-ai/claude-agent-sdk': 'claude-agent-sdk',
  'claude-agent-sdk': 'claude-agent-sdk',
  autogen: 'autogen',
  pyautogen: 'autogen',
  'autogen-agentchat': 'autogen',
  crewai: 'crewai',
  'llama-index': 'llamaindex',
  llamaindex: 'llamaindex',
  ai: 'vercel-ai',
  'semantic-kernel': 'semantic-kernel',
};

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', 'vendor', '.venv', 'venv', '__pycache__', 'gait-out', '.gait']);
const MAX_DEPTH = 4;
const MAX_FILES = 2000;
const MAX_JSON_BYTES = 256 * 1024;
const MAX_JSONL_BYTES = 4 * 1_048_576;

function readSmall(path: string, max: number): string | undefined {
  try {
    if (statSync(path).size > max) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function packageJsonDeps(text: string): string[] {
  try {
    const pkg = JSON.parse(text) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) => {
      const deps = pkg[k];
      return deps !== null && typeof deps === 'object' ? Object.keys(deps) : [];
    });
  } catch {
    return [];
  }
}

/** Names of Python requirements / pyproject / Pipfile and Go module lines (loose: first token per line). */
function looseDeps(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^\s*(?:require\s+)?["']?([A-Za-z0-9@/._-]+)/.exec(line)?.[1]?.toLowerCase() ?? '')
    .filter((name) => name !== '');
}

function depsOf(name: string, text: string): string[] {
  if (name === 'package.json') return packageJsonDeps(text);
  return looseDeps(text);
}

const MANIFEST = /^(package\.json|requirements.*\.txt|pyproject\.toml|Pipfile|go\.mod)$/;

function toolNameOf(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return '';
  const obj = value as Record<string, unknown>;
  const direct = obj['tool_name'];
  if (typeof direct === 'string') return direct.trim().toLowerCase();
  return toolNameOf(obj['intent']);
}

function toolsIn(name: string, path: string): string[] {
  if (name.endsWith('.jsonl')) {
    const text = readSmall(path, MAX_JSONL_BYTES) ?? '';
    return text.split('\n').flatMap((line) => {
      try {
        return [toolNameOf(JSON.parse(line) as unknown)];
      } catch {
        return [];
      }
    });
  }
  const text = readSmall(path, MAX_JSON_BYTES);
  if (text === undefined || !text.includes('tool_name')) return [];
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.map(toolNameOf) : [toolNameOf(value)];
  } catch {
    return [];
  }
}

/** Scans `root`; never throws (unreadable entries are skipped). */
export function scanRepository(root: string): RepoScan {
  const frameworks = new Set<string>();
  const tools = new Set<string>();
  let files = 0;
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => compareCodePoints(a.name, b.name));
    for (const e of entries) {
      if (files >= MAX_FILES) return;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIP_DIRS.has(e.name)) walk(full, depth + 1);
        continue;
      }
      if (!e.isFile()) continue;
      files += 1;
      if (MANIFEST.test(e.name)) {
        for (const dep of depsOf(e.name, readSmall(full, MAX_JSON_BYTES) ?? '')) {
          const fw = FRAMEWORKS[dep] ?? FRAMEWORKS[dep.toLowerCase()];
          if (fw !== undefined) frameworks.add(fw);
        }
      }
      if (e.name.endsWith('.json') || e.name.endsWith('.jsonl')) for (const t of toolsIn(e.name, full)) if (t !== '') tools.add(t);
    }
  };
  walk(root, 0);
  return { frameworks: [...frameworks].sort(compareCodePoints), toolNames: [...tools].sort(compareCodePoints) };
}
