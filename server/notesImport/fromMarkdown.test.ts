import { getSchema } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { createMarkdownImporter } from './fromMarkdown.js';
import { splitFrontMatter } from './frontMatter.js';

const importMarkdown = createMarkdownImporter(getSchema(createSchemaExtensions()));

describe('HedgeDoc notes', () => {
  it('front matter is read (title, tags) and never lands in the notes', () => {
    const { doc, frontMatter } = importMarkdown('---\ntitle: "Ops Meetup: Large Deployments"\ntags: ops, ldt\nrobots: noindex\nslideOptions:\n  theme: white\n---\n# Notes\nACTION: @dana collect configs');
    expect(frontMatter).toEqual({ title: 'Ops Meetup: Large Deployments', tags: ['ops', 'ldt'] });
    expect(JSON.stringify(doc)).not.toMatch(/robots|title|theme/);
    expect(doc.content!.map((n) => n.type)).toEqual(['heading', 'paragraph']);
  });

  it('tags as a YAML list or flow sequence; no front matter means none', () => {
    expect(splitFrontMatter('---\ntags:\n  - nova\n  - "cells v2"\n---\nx').frontMatter).toEqual({ tags: ['nova', 'cells v2'] });
    expect(splitFrontMatter('---\ntags: [a, b]\n---\nx').frontMatter).toEqual({ tags: ['a', 'b'] });
    expect(splitFrontMatter('# no front matter\n---\n').frontMatter).toBeNull();
  });

  it('[TOC] goes, :::info boxes become quotes, code fences are left alone', () => {
    const { doc } = importMarkdown('[TOC]\n:::info\nRemember the **etherpad**\n:::\n```\n:::warning\n[TOC]\n```');
    expect(doc.content).toEqual([
      { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Remember the ' }, { type: 'text', text: 'etherpad', marks: [{ type: 'bold' }] }] }] },
      { type: 'codeBlock', attrs: { language: null }, content: [{ type: 'text', text: ':::warning\n[TOC]' }] },
    ]);
  });
});
