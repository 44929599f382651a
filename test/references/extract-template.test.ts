import { describe, expect, it } from 'vitest';
import { templateExtractor } from '../../src/references/extract-template.js';

describe('references/extract-template', () => {
  it('reads ${X} and shell defaults in a Compose file', () => {
    const text = [
      'services:',
      '  api:',
      '    image: registry.example.com/api:${IMAGE_TAG}',
      '    environment:',
      '      DATABASE_URL: ${DATABASE_URL:?set DATABASE_URL}',
      '      LOG_LEVEL: ${LOG_LEVEL:-info}',
      '      WORKERS: ${WORKERS-4}',
      '      LITERAL: $${NOT_A_READ}',
      '      # OLD: ${COMMENTED_OUT}',
      '      TOKEN: ${{ secrets.TOKEN }}',
    ].join('\n');
    expect(templateExtractor.extract(text)).toEqual({
      references: [
        { name: 'IMAGE_TAG', line: 3, column: 37, style: 'env' },
        { name: 'DATABASE_URL', line: 5, column: 21, style: 'env' },
        { name: 'LOG_LEVEL', line: 6, column: 18, style: 'env', optional: true },
        { name: 'WORKERS', line: 7, column: 16, style: 'env', optional: true },
      ],
      unresolvable: [],
    });
  });

  it('reads Spring placeholders in properties files as dotted, with defaults', () => {
    const text = [
      'spring.datasource.url=${DB_URL:jdbc:mysql://localhost:3306/mall}',
      'mall.upload.dir=${mall.storage.root}/upload',
      'server.port=${server-port.value:8080}',
    ].join('\n');
    expect(templateExtractor.extract(text).references).toEqual([
      { name: 'DB_URL', line: 1, column: 23, style: 'env', optional: true },
      { name: 'mall.storage.root', line: 2, column: 17, style: 'dotted' },
      { name: 'server-port.value', line: 3, column: 13, style: 'dotted', optional: true },
    ]);
  });

  it('reads Helm .Values paths, even in YAML comments', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  replicas: {{ .Values.replicaCount }}',
      '  template:',
      '    spec:',
      '      containers:',
      '        - image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
      '          {{- with .Values.resources }}',
      '          # {{ $.Values.global.region }}',
    ].join('\n');
    expect(
      templateExtractor.extract(text).references.map((reference) => `${reference.name}@${reference.line}`),
    ).toEqual(['replicaCount@4', 'image.repository@8', 'image.tag@8', 'resources@9', 'global.region@10']);
  });

  it('reads shell scripts and dotenv templates', () => {
    const text = '#!/bin/sh\n# uses ${IGNORED}\nexec node server.js --port "${PORT}" --host "${HOST:=0.0.0.0}"\n';
    expect(templateExtractor.extract(text).references.map((reference) => reference.name)).toEqual(['PORT', 'HOST']);
    expect(templateExtractor.extensions).toEqual(expect.arrayContaining(['.sh', '.env', '.template', 'dockerfile']));
  });
});
