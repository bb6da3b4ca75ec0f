// @vitest-environment happy-dom
import { render } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import { iconButton, icons } from '../src/icons.js';

describe('iconButton', () => {
  it('renders a labelled button whose only content is an SVG path hidden from assistive technology', () => {
    const host = document.createElement('div');
    const onClick = vi.fn();
    render(iconButton('Good reply', icons.thumb, onClick, { pressed: true }), host);
    const button = host.querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe('Good reply');
    expect(button.getAttribute('title')).toBe('Good reply');
    expect(button.getAttribute('aria-pressed')).toBe('true');
    expect(button.getAttribute('type')).toBe('button');
    expect(button.textContent?.trim()).toBe('');
    const svg = button.querySelector('svg')!;
    expect(svg.getAttribute('aria-hidden')).toBe('true');
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg.querySelector('path')!.getAttribute('d')).toBe(icons.thumb);
    button.click();
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('leaves out the state attributes it is not given, and mirrors on request', () => {
    const host = document.createElement('div');
    render(
      iconButton('Next version', icons.chevron, () => {}, { flip: true, disabled: true }),
      host,
    );
    const button = host.querySelector('button')!;
    expect(button.hasAttribute('aria-pressed')).toBe(false);
    expect(button.hasAttribute('aria-expanded')).toBe(false);
    expect(button.classList.contains('flip')).toBe(true);
    expect(button.disabled).toBe(true);
  });
});
