import { DreamdeckError } from '@dreamdeck/core';
import { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { describe, expect, it } from 'vitest';
import { loadOllamaDriver } from '../src/ollama/load-ollama.js';
import { loadOpenAIDriver } from '../src/openai/load-openai.js';
import { requireFromHere } from '../src/shared/optional-module.js';

function failingRequire(code: string | undefined, message: string): (id: string) => never {
  return () => {
    throw Object.assign(new Error(message), { code });
  };
}

const loaders = [
  {
    name: '@langchain/openai',
    load: loadOpenAIDriver,
    message: '[dreamdeck] [openai] install @langchain/openai (npm i @langchain/openai@1.5.8) to use createOpenAIModel',
    exportName: 'ChatOpenAI',
  },
  {
    name: '@langchain/ollama',
    load: loadOllamaDriver,
    message: '[dreamdeck] [ollama] install @langchain/ollama (npm i @langchain/ollama) to use createOllamaModel',
    exportName: 'ChatOllama',
  },
] as const;

describe.each(loaders)('loader for $name', ({ name, load, message, exportName }) => {
  it('maps a missing driver to CONFIG_INVALID naming the install command', () => {
    const notFound = failingRequire('MODULE_NOT_FOUND', `Cannot find module '${name}'`);
    let thrown: unknown;
    try {
      load(notFound);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DreamdeckError);
    const error = thrown as DreamdeckError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(message);
    expect(error.retryable).toBe(false);
    expect((error.cause as Error).message).toBe(`Cannot find module '${name}'`);
  });

  it('reports any other load failure with its cause', () => {
    expect(() => load(failingRequire(undefined, 'boom'))).toThrowError(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`could not load ${name}: boom`),
      }),
    );
  });

  it('asks for the driver by name and returns the module', () => {
    const requested: string[] = [];
    const driver = { [exportName]: class {} };
    const result = load((id) => {
      requested.push(id);
      return driver;
    });
    expect(requested).toEqual([name]);
    expect(result).toBe(driver);
  });

  it('loads the installed driver by default', () => {
    expect(typeof (load() as Record<string, unknown>)[exportName]).toBe('function');
  });
});

describe('requireFromHere', () => {
  it('loads the build an import would, so the app keeps one copy of @langchain/core', () => {
    const { SqliteSaver } = requireFromHere('@langchain/langgraph-checkpoint-sqlite') as {
      SqliteSaver: { prototype: object };
    };
    // a CommonJS copy would extend the CommonJS BaseCheckpointSaver, not this (ES) one
    expect(SqliteSaver.prototype).toBeInstanceOf(BaseCheckpointSaver);
  });

  it('loads CommonJS-only packages as before', () => {
    const Database = requireFromHere('better-sqlite3') as new (path: string) => { close(): void };
    const db = new Database(':memory:');
    db.close();
  });

  it('still reports a missing module as MODULE_NOT_FOUND', () => {
    expect(() => requireFromHere('@dreamdeck/no-such-driver')).toThrowError(
      expect.objectContaining({ code: 'MODULE_NOT_FOUND' }),
    );
  });
});
