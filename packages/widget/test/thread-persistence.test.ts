// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThreadPersistence } from '../src/thread-persistence.js';
import { testHost } from './controller-host.js';

function persistence(persist: 'local' | 'hash' | 'none', endpoint = '/api') {
  const host = testHost();
  host.persist = persist;
  host.endpoint = endpoint;
  const changes: string[] = [];
  const controller = new ThreadPersistence(host, (id) => changes.push(id));
  host.connect();
  return { host, controller, changes };
}

describe('ThreadPersistence', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
    history.replaceState(null, '', '#');
  });

  it('keeps the id in localStorage per endpoint with persist="local", and forgets it', () => {
    const { controller } = persistence('local');
    expect(controller.readPersisted()).toBe('');
    controller.writePersisted('th_1');
    expect(localStorage.getItem('dreamdeck:thread:/api')).toBe('th_1');
    expect(controller.readPersisted()).toBe('th_1');
    // another endpoint keeps its own
    expect(persistence('local', '/other').controller.readPersisted()).toBe('');
    controller.clearPersisted();
    expect(localStorage.getItem('dreamdeck:thread:/api')).toBeNull();
    expect(location.hash).toBe('');
  });

  it('keeps the id in the hash with persist="hash", beside other hash parameters, without a history entry', () => {
    history.replaceState(null, '', '#tab=2');
    const before = history.length;
    const { controller } = persistence('hash');
    controller.writePersisted('th_2');
    expect(new URLSearchParams(location.hash.slice(1)).get('dreamdeck-thread')).toBe('th_2');
    expect(new URLSearchParams(location.hash.slice(1)).get('tab')).toBe('2');
    expect(history.length).toBe(before);
    expect(controller.readPersisted()).toBe('th_2');
    expect(localStorage.length).toBe(0);
    // the hash is the page's: clearing leaves it
    controller.clearPersisted();
    expect(controller.readPersisted()).toBe('th_2');
  });

  it('keeps nothing with persist="none"', () => {
    const { controller } = persistence('none');
    controller.writePersisted('th_3');
    expect(controller.readPersisted()).toBe('');
    expect(localStorage.length).toBe(0);
    expect(location.hash).toBe('');
  });

  it('passes a hashchange on with persist="hash" only, and only while connected', () => {
    const hash = persistence('hash');
    const local = persistence('local');
    history.replaceState(null, '', '#dreamdeck-thread=th_4');
    window.dispatchEvent(new Event('hashchange'));
    expect(hash.changes).toEqual(['th_4']);
    expect(local.changes).toEqual([]);
    // a hash without the parameter is not a change of story
    history.replaceState(null, '', '#other=1');
    window.dispatchEvent(new Event('hashchange'));
    expect(hash.changes).toEqual(['th_4']);
    hash.host.disconnect();
    history.replaceState(null, '', '#dreamdeck-thread=th_5');
    window.dispatchEvent(new Event('hashchange'));
    expect(hash.changes).toEqual(['th_4']);
  });

  it('reads blocked storage as empty and never throws', () => {
    const blocked = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    vi.stubGlobal('localStorage', { getItem: blocked, setItem: blocked, removeItem: blocked });
    const { controller } = persistence('local');
    expect(() => controller.writePersisted('th_6')).not.toThrow();
    expect(controller.readPersisted()).toBe('');
    expect(() => controller.clearPersisted()).not.toThrow();
  });
});
