import type { RuleKind } from '../report/report.js';
import { allow } from './allow.js';
import { couple } from './couple.js';
import { differ } from './differ.js';
import { equal } from './equal.js';
import { forbid } from './forbid.js';
import { match } from './match.js';
import { missingReference } from './missing-reference.js';
import { parity } from './parity.js';
import { plaintext } from './plaintext.js';
import { referenced } from './referenced.js';
import { removedElsewhere } from './removed-elsewhere.js';
import { require } from './require.js';
import type { RuleBase, RuleKindModule } from './rule.js';

/** Every rule kind a pack may use. A new kind is one module and one line here. */
export const ruleKinds: ReadonlyMap<RuleKind, RuleKindModule<RuleBase>> = new Map<RuleKind, RuleKindModule<RuleBase>>(
  [
    parity,
    require,
    forbid,
    equal,
    differ,
    match,
    plaintext,
    referenced,
    missingReference,
    removedElsewhere,
    couple,
    allow,
  ].map((module) => [module.kind, module as unknown as RuleKindModule<RuleBase>]),
);
