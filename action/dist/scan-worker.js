import { createRequire as createRequireForBundle } from 'node:module';
const require = createRequireForBundle(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/picomatch/lib/constants.js
var require_constants = __commonJS({
  "node_modules/picomatch/lib/constants.js"(exports, module) {
    "use strict";
    var WIN_SLASH = "\\\\/";
    var WIN_NO_SLASH = `[^${WIN_SLASH}]`;
    var DEFAULT_MAX_EXTGLOB_RECURSION = 0;
    var DOT_LITERAL = "\\.";
    var PLUS_LITERAL = "\\+";
    var QMARK_LITERAL = "\\?";
    var SLASH_LITERAL = "\\/";
    var ONE_CHAR = "(?=.)";
    var QMARK = "[^/]";
    var END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
    var START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
    var DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
    var NO_DOT = `(?!${DOT_LITERAL})`;
    var NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
    var NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
    var NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
    var QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
    var STAR = `${QMARK}*?`;
    var SEP = "/";
    var POSIX_CHARS = {
      DOT_LITERAL,
      PLUS_LITERAL,
      QMARK_LITERAL,
      SLASH_LITERAL,
      ONE_CHAR,
      QMARK,
      END_ANCHOR,
      DOTS_SLASH,
      NO_DOT,
      NO_DOTS,
      NO_DOT_SLASH,
      NO_DOTS_SLASH,
      QMARK_NO_DOT,
      STAR,
      START_ANCHOR,
      SEP
    };
    var WINDOWS_CHARS = {
      ...POSIX_CHARS,
      SLASH_LITERAL: `[${WIN_SLASH}]`,
      QMARK: WIN_NO_SLASH,
      STAR: `${WIN_NO_SLASH}*?`,
      DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
      NO_DOT: `(?!${DOT_LITERAL})`,
      NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
      NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
      QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
      START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
      END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
      SEP: "\\"
    };
    var POSIX_REGEX_SOURCE = {
      __proto__: null,
      alnum: "a-zA-Z0-9",
      alpha: "a-zA-Z",
      ascii: "\\x00-\\x7F",
      blank: " \\t",
      cntrl: "\\x00-\\x1F\\x7F",
      digit: "0-9",
      graph: "\\x21-\\x7E",
      lower: "a-z",
      print: "\\x20-\\x7E ",
      punct: "\\-!\"#$%&'()\\*+,./:;<=>?@[\\]^_`{|}~",
      space: " \\t\\r\\n\\v\\f",
      upper: "A-Z",
      word: "A-Za-z0-9_",
      xdigit: "A-Fa-f0-9"
    };
    module.exports = {
      DEFAULT_MAX_EXTGLOB_RECURSION,
      MAX_LENGTH: 1024 * 64,
      POSIX_REGEX_SOURCE,
      // regular expressions
      REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
      REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
      REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
      REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
      REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
      REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,
      // Replace globs with equivalent patterns to reduce parsing time.
      REPLACEMENTS: {
        __proto__: null,
        "***": "*",
        "**/**": "**",
        "**/**/**": "**"
      },
      // Digits
      CHAR_0: 48,
      /* 0 */
      CHAR_9: 57,
      /* 9 */
      // Alphabet chars.
      CHAR_UPPERCASE_A: 65,
      /* A */
      CHAR_LOWERCASE_A: 97,
      /* a */
      CHAR_UPPERCASE_Z: 90,
      /* Z */
      CHAR_LOWERCASE_Z: 122,
      /* z */
      CHAR_LEFT_PARENTHESES: 40,
      /* ( */
      CHAR_RIGHT_PARENTHESES: 41,
      /* ) */
      CHAR_ASTERISK: 42,
      /* * */
      // Non-alphabetic chars.
      CHAR_AMPERSAND: 38,
      /* & */
      CHAR_AT: 64,
      /* @ */
      CHAR_BACKWARD_SLASH: 92,
      /* \ */
      CHAR_CARRIAGE_RETURN: 13,
      /* \r */
      CHAR_CIRCUMFLEX_ACCENT: 94,
      /* ^ */
      CHAR_COLON: 58,
      /* : */
      CHAR_COMMA: 44,
      /* , */
      CHAR_DOT: 46,
      /* . */
      CHAR_DOUBLE_QUOTE: 34,
      /* " */
      CHAR_EQUAL: 61,
      /* = */
      CHAR_EXCLAMATION_MARK: 33,
      /* ! */
      CHAR_FORM_FEED: 12,
      /* \f */
      CHAR_FORWARD_SLASH: 47,
      /* / */
      CHAR_GRAVE_ACCENT: 96,
      /* ` */
      CHAR_HASH: 35,
      /* # */
      CHAR_HYPHEN_MINUS: 45,
      /* - */
      CHAR_LEFT_ANGLE_BRACKET: 60,
      /* < */
      CHAR_LEFT_CURLY_BRACE: 123,
      /* { */
      CHAR_LEFT_SQUARE_BRACKET: 91,
      /* [ */
      CHAR_LINE_FEED: 10,
      /* \n */
      CHAR_NO_BREAK_SPACE: 160,
      /* \u00A0 */
      CHAR_PERCENT: 37,
      /* % */
      CHAR_PLUS: 43,
      /* + */
      CHAR_QUESTION_MARK: 63,
      /* ? */
      CHAR_RIGHT_ANGLE_BRACKET: 62,
      /* > */
      CHAR_RIGHT_CURLY_BRACE: 125,
      /* } */
      CHAR_RIGHT_SQUARE_BRACKET: 93,
      /* ] */
      CHAR_SEMICOLON: 59,
      /* ; */
      CHAR_SINGLE_QUOTE: 39,
      /* ' */
      CHAR_SPACE: 32,
      /*   */
      CHAR_TAB: 9,
      /* \t */
      CHAR_UNDERSCORE: 95,
      /* _ */
      CHAR_VERTICAL_LINE: 124,
      /* | */
      CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279,
      /* \uFEFF */
      /**
       * Create EXTGLOB_CHARS
       */
      extglobChars(chars) {
        return {
          "!": { type: "negate", open: "(?:(?!(?:", close: `))${chars.STAR})` },
          "?": { type: "qmark", open: "(?:", close: ")?" },
          "+": { type: "plus", open: "(?:", close: ")+" },
          "*": { type: "star", open: "(?:", close: ")*" },
          "@": { type: "at", open: "(?:", close: ")" }
        };
      },
      /**
       * Create GLOB_CHARS
       */
      globChars(win32) {
        return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
      }
    };
  }
});

// node_modules/picomatch/lib/utils.js
var require_utils = __commonJS({
  "node_modules/picomatch/lib/utils.js"(exports) {
    "use strict";
    var {
      REGEX_BACKSLASH,
      REGEX_REMOVE_BACKSLASH,
      REGEX_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_GLOBAL
    } = require_constants();
    exports.isObject = (val) => val !== null && typeof val === "object" && !Array.isArray(val);
    exports.hasRegexChars = (str) => REGEX_SPECIAL_CHARS.test(str);
    exports.isRegexChar = (str) => str.length === 1 && exports.hasRegexChars(str);
    exports.escapeRegex = (str) => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, "\\$1");
    exports.toPosixSlashes = (str) => str.replace(REGEX_BACKSLASH, "/");
    exports.isWindows = () => {
      if (typeof navigator !== "undefined" && navigator.platform) {
        const platform = navigator.platform.toLowerCase();
        return platform === "win32" || platform === "windows";
      }
      if (typeof process !== "undefined" && process.platform) {
        return process.platform === "win32";
      }
      return false;
    };
    exports.removeBackslashes = (str) => {
      return str.replace(REGEX_REMOVE_BACKSLASH, (match) => {
        return match === "\\" ? "" : match;
      });
    };
    exports.escapeLast = (input, char, lastIdx) => {
      const idx = input.lastIndexOf(char, lastIdx);
      if (idx === -1) return input;
      if (input[idx - 1] === "\\") return exports.escapeLast(input, char, idx - 1);
      return `${input.slice(0, idx)}\\${input.slice(idx)}`;
    };
    exports.removePrefix = (input, state = {}) => {
      let output = input;
      if (output.startsWith("./")) {
        output = output.slice(2);
        state.prefix = "./";
      }
      return output;
    };
    exports.wrapOutput = (input, state = {}, options = {}) => {
      const prepend = options.contains ? "" : "^";
      const append = options.contains ? "" : "$";
      let output = `${prepend}(?:${input})${append}`;
      if (state.negated === true) {
        output = `(?:^(?!${output}).*$)`;
      }
      return output;
    };
    exports.basename = (path, { windows } = {}) => {
      const segs = path.split(windows ? /[\\/]/ : "/");
      const last = segs[segs.length - 1];
      if (last === "") {
        return segs[segs.length - 2];
      }
      return last;
    };
  }
});

// node_modules/picomatch/lib/scan.js
var require_scan = __commonJS({
  "node_modules/picomatch/lib/scan.js"(exports, module) {
    "use strict";
    var utils = require_utils();
    var {
      CHAR_ASTERISK,
      /* * */
      CHAR_AT,
      /* @ */
      CHAR_BACKWARD_SLASH,
      /* \ */
      CHAR_COMMA,
      /* , */
      CHAR_DOT,
      /* . */
      CHAR_EXCLAMATION_MARK,
      /* ! */
      CHAR_FORWARD_SLASH,
      /* / */
      CHAR_LEFT_CURLY_BRACE,
      /* { */
      CHAR_LEFT_PARENTHESES,
      /* ( */
      CHAR_LEFT_SQUARE_BRACKET,
      /* [ */
      CHAR_PLUS,
      /* + */
      CHAR_QUESTION_MARK,
      /* ? */
      CHAR_RIGHT_CURLY_BRACE,
      /* } */
      CHAR_RIGHT_PARENTHESES,
      /* ) */
      CHAR_RIGHT_SQUARE_BRACKET
      /* ] */
    } = require_constants();
    var isPathSeparator = (code) => {
      return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
    };
    var depth = (token) => {
      if (token.isPrefix !== true) {
        token.depth = token.isGlobstar ? Infinity : 1;
      }
    };
    var scan = (input, options) => {
      const opts = options || {};
      const length = input.length - 1;
      const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
      const slashes = [];
      const tokens = [];
      const parts = [];
      let str = input;
      let index = -1;
      let start = 0;
      let lastIndex = 0;
      let isBrace = false;
      let isBracket = false;
      let isGlob = false;
      let isExtglob = false;
      let isGlobstar = false;
      let braceEscaped = false;
      let backslashes = false;
      let negated = false;
      let negatedExtglob = false;
      let finished = false;
      let braces = 0;
      let prev;
      let code;
      let token = { value: "", depth: 0, isGlob: false };
      const eos = () => index >= length;
      const peek = () => str.charCodeAt(index + 1);
      const advance = () => {
        prev = code;
        return str.charCodeAt(++index);
      };
      while (index < length) {
        code = advance();
        let next;
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          code = advance();
          if (code === CHAR_LEFT_CURLY_BRACE) {
            braceEscaped = true;
          }
          continue;
        }
        if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (code === CHAR_LEFT_CURLY_BRACE) {
              braces++;
              continue;
            }
            if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (braceEscaped !== true && code === CHAR_COMMA) {
              isBrace = token.isBrace = true;
              isGlob = token.isGlob = true;
              finished = true;
              if (scanToEnd === true) {
                continue;
              }
              break;
            }
            if (code === CHAR_RIGHT_CURLY_BRACE) {
              braces--;
              if (braces === 0) {
                braceEscaped = false;
                isBrace = token.isBrace = true;
                finished = true;
                break;
              }
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_FORWARD_SLASH) {
          slashes.push(index);
          tokens.push(token);
          token = { value: "", depth: 0, isGlob: false };
          if (finished === true) continue;
          if (prev === CHAR_DOT && index === start + 1) {
            start += 2;
            continue;
          }
          lastIndex = index + 1;
          continue;
        }
        if (opts.noext !== true) {
          const isExtglobChar = code === CHAR_PLUS || code === CHAR_AT || code === CHAR_ASTERISK || code === CHAR_QUESTION_MARK || code === CHAR_EXCLAMATION_MARK;
          if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
            isGlob = token.isGlob = true;
            isExtglob = token.isExtglob = true;
            finished = true;
            if (code === CHAR_EXCLAMATION_MARK && index === start) {
              negatedExtglob = true;
            }
            if (scanToEnd === true) {
              let parens = 0;
              while (eos() !== true && (code = advance())) {
                if (code === CHAR_BACKWARD_SLASH) {
                  backslashes = token.backslashes = true;
                  advance();
                  continue;
                }
                if (code === CHAR_LEFT_PARENTHESES) {
                  parens++;
                  continue;
                }
                if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                  finished = true;
                  break;
                }
              }
              continue;
            }
            break;
          }
        }
        if (code === CHAR_ASTERISK) {
          if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_QUESTION_MARK) {
          isGlob = token.isGlob = true;
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (code === CHAR_LEFT_SQUARE_BRACKET) {
          while (eos() !== true && (next = advance())) {
            if (next === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }
            if (next === CHAR_RIGHT_SQUARE_BRACKET) {
              isBracket = token.isBracket = true;
              isGlob = token.isGlob = true;
              finished = true;
              break;
            }
          }
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
        if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
          negated = token.negated = true;
          start++;
          continue;
        }
        if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
          isGlob = token.isGlob = true;
          if (scanToEnd === true) {
            let parens = 1;
            while (eos() !== true && (code = advance())) {
              if (code === CHAR_BACKWARD_SLASH) {
                backslashes = token.backslashes = true;
                advance();
                continue;
              }
              if (code === CHAR_LEFT_PARENTHESES) {
                parens++;
                continue;
              }
              if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
                finished = true;
                break;
              }
            }
            continue;
          }
          break;
        }
        if (isGlob === true) {
          finished = true;
          if (scanToEnd === true) {
            continue;
          }
          break;
        }
      }
      if (opts.noext === true) {
        isExtglob = false;
        isGlob = false;
      }
      let base = str;
      let prefix = "";
      let glob = "";
      if (start > 0) {
        prefix = str.slice(0, start);
        str = str.slice(start);
        lastIndex -= start;
      }
      if (base && isGlob === true && lastIndex > 0) {
        base = str.slice(0, lastIndex);
        glob = str.slice(lastIndex);
      } else if (isGlob === true) {
        base = "";
        glob = str;
      } else {
        base = str;
      }
      if (base && base !== "" && base !== "/" && base !== str) {
        if (isPathSeparator(base.charCodeAt(base.length - 1))) {
          base = base.slice(0, -1);
        }
      }
      if (opts.unescape === true) {
        if (glob) glob = utils.removeBackslashes(glob);
        if (base && backslashes === true) {
          base = utils.removeBackslashes(base);
        }
      }
      const state = {
        prefix,
        input,
        start,
        base,
        glob,
        isBrace,
        isBracket,
        isGlob,
        isExtglob,
        isGlobstar,
        negated,
        negatedExtglob
      };
      if (opts.tokens === true) {
        state.maxDepth = 0;
        if (!isPathSeparator(code)) {
          tokens.push(token);
        }
        state.tokens = tokens;
      }
      if (opts.parts === true || opts.tokens === true) {
        let prevIndex;
        for (let idx = 0; idx < slashes.length; idx++) {
          const n2 = prevIndex !== void 0 ? prevIndex + 1 : start;
          const i = slashes[idx];
          const value2 = input.slice(n2, i);
          if (opts.tokens) {
            if (idx === 0 && start !== 0) {
              tokens[idx].isPrefix = true;
              tokens[idx].value = prefix;
            } else {
              tokens[idx].value = value2;
            }
            depth(tokens[idx]);
            state.maxDepth += tokens[idx].depth;
          }
          if (i >= start) {
            parts.push(value2);
            prevIndex = i;
          }
        }
        const n = prevIndex !== void 0 ? prevIndex + 1 : start;
        const value = input.slice(n);
        parts.push(value);
        if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
          tokens[tokens.length - 1].value = value;
          depth(tokens[tokens.length - 1]);
          state.maxDepth += tokens[tokens.length - 1].depth;
        }
        state.slashes = slashes;
        state.parts = parts;
      }
      return state;
    };
    module.exports = scan;
  }
});

// node_modules/picomatch/lib/parse.js
var require_parse = __commonJS({
  "node_modules/picomatch/lib/parse.js"(exports, module) {
    "use strict";
    var constants = require_constants();
    var utils = require_utils();
    var {
      MAX_LENGTH,
      POSIX_REGEX_SOURCE,
      REGEX_NON_SPECIAL_CHARS,
      REGEX_SPECIAL_CHARS_BACKREF,
      REPLACEMENTS
    } = constants;
    var expandRange = (args, options) => {
      if (typeof options.expandRange === "function") {
        return options.expandRange(...args, options);
      }
      args.sort();
      const value = `[${args.join("-")}]`;
      try {
        new RegExp(value);
      } catch (ex) {
        return args.map((v) => utils.escapeRegex(v)).join("..");
      }
      return value;
    };
    var syntaxError = (type, char) => {
      return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
    };
    var splitTopLevel = (input) => {
      const parts = [];
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let value = "";
      let escaped = false;
      for (const ch of input) {
        if (escaped === true) {
          value += ch;
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          value += ch;
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          value += ch;
          continue;
        }
        if (quote === 0) {
          if (ch === "[") {
            bracket++;
          } else if (ch === "]" && bracket > 0) {
            bracket--;
          } else if (bracket === 0) {
            if (ch === "(") {
              paren++;
            } else if (ch === ")" && paren > 0) {
              paren--;
            } else if (ch === "|" && paren === 0) {
              parts.push(value);
              value = "";
              continue;
            }
          }
        }
        value += ch;
      }
      parts.push(value);
      return parts;
    };
    var isPlainBranch = (branch) => {
      let escaped = false;
      for (const ch of branch) {
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (/[?*+@!()[\]{}]/.test(ch)) {
          return false;
        }
      }
      return true;
    };
    var normalizeSimpleBranch = (branch) => {
      let value = branch.trim();
      let changed = true;
      while (changed === true) {
        changed = false;
        if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
          value = value.slice(2, -1);
          changed = true;
        }
      }
      if (!isPlainBranch(value)) {
        return;
      }
      return value.replace(/\\(.)/g, "$1");
    };
    var hasRepeatedCharPrefixOverlap = (branches) => {
      const values = branches.map(normalizeSimpleBranch).filter(Boolean);
      for (let i = 0; i < values.length; i++) {
        for (let j = i + 1; j < values.length; j++) {
          const a = values[i];
          const b = values[j];
          const char = a[0];
          if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
            continue;
          }
          if (a === b || a.startsWith(b) || b.startsWith(a)) {
            return true;
          }
        }
      }
      return false;
    };
    var parseRepeatedExtglob = (pattern, requireEnd = true) => {
      if (pattern[0] !== "+" && pattern[0] !== "*" || pattern[1] !== "(") {
        return;
      }
      let bracket = 0;
      let paren = 0;
      let quote = 0;
      let escaped = false;
      for (let i = 1; i < pattern.length; i++) {
        const ch = pattern[i];
        if (escaped === true) {
          escaped = false;
          continue;
        }
        if (ch === "\\") {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quote = quote === 1 ? 0 : 1;
          continue;
        }
        if (quote === 1) {
          continue;
        }
        if (ch === "[") {
          bracket++;
          continue;
        }
        if (ch === "]" && bracket > 0) {
          bracket--;
          continue;
        }
        if (bracket > 0) {
          continue;
        }
        if (ch === "(") {
          paren++;
          continue;
        }
        if (ch === ")") {
          paren--;
          if (paren === 0) {
            if (requireEnd === true && i !== pattern.length - 1) {
              return;
            }
            return {
              type: pattern[0],
              body: pattern.slice(2, i),
              end: i
            };
          }
        }
      }
    };
    var buildCharClassStar = (chars) => {
      const source = chars.length === 1 ? utils.escapeRegex(chars[0]) : `[${chars.map((ch) => utils.escapeRegex(ch)).join("")}]`;
      return `${source}*`;
    };
    var getStarExtglobSequenceChars = (pattern) => {
      let index = 0;
      const chars = [];
      while (index < pattern.length) {
        const match = parseRepeatedExtglob(pattern.slice(index), false);
        if (!match || match.type !== "*") {
          return;
        }
        const branches = splitTopLevel(match.body).map((branch2) => branch2.trim());
        if (branches.length !== 1) {
          return;
        }
        const branch = normalizeSimpleBranch(branches[0]);
        if (!branch || branch.length !== 1) {
          return;
        }
        chars.push(branch);
        index += match.end + 1;
      }
      if (chars.length < 1) {
        return;
      }
      return chars;
    };
    var repeatedExtglobRecursion = (pattern) => {
      let depth = 0;
      let value = pattern.trim();
      let match = parseRepeatedExtglob(value);
      while (match) {
        depth++;
        value = match.body.trim();
        match = parseRepeatedExtglob(value);
      }
      return depth;
    };
    var analyzeRepeatedExtglob = (body, options) => {
      if (options.maxExtglobRecursion === false) {
        return { risky: false };
      }
      const max = typeof options.maxExtglobRecursion === "number" ? options.maxExtglobRecursion : constants.DEFAULT_MAX_EXTGLOB_RECURSION;
      const branches = splitTopLevel(body).map((branch) => branch.trim());
      if (branches.length > 1) {
        if (branches.some((branch) => branch === "") || branches.some((branch) => /^[*?]+$/.test(branch)) || hasRepeatedCharPrefixOverlap(branches)) {
          return { risky: true };
        }
      }
      const safeChars = [];
      let sawStarSequence = false;
      let combinable = true;
      for (const branch of branches) {
        const chars = getStarExtglobSequenceChars(branch);
        if (chars) {
          sawStarSequence = true;
          safeChars.push(...chars);
          continue;
        }
        const literal = normalizeSimpleBranch(branch);
        if (literal && literal.length === 1) {
          safeChars.push(literal);
          continue;
        }
        combinable = false;
        if (repeatedExtglobRecursion(branch) > max) {
          return { risky: true };
        }
      }
      if (sawStarSequence) {
        return combinable ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) } : { risky: true };
      }
      return { risky: false };
    };
    var parse = (input, options) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected a string");
      }
      input = REPLACEMENTS[input] || input;
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      let len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      const bos = { type: "bos", value: "", output: opts.prepend || "" };
      const tokens = [bos];
      const capture = opts.capture ? "" : "?:";
      const PLATFORM_CHARS = constants.globChars(opts.windows);
      const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);
      const {
        DOT_LITERAL,
        PLUS_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOT_SLASH,
        NO_DOTS_SLASH,
        QMARK,
        QMARK_NO_DOT,
        STAR,
        START_ANCHOR
      } = PLATFORM_CHARS;
      const globstar = (opts2) => {
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const nodot = opts.dot ? "" : NO_DOT;
      const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
      let star = opts.bash === true ? globstar(opts) : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      if (typeof opts.noext === "boolean") {
        opts.noextglob = opts.noext;
      }
      const state = {
        input,
        index: -1,
        start: 0,
        dot: opts.dot === true,
        consumed: "",
        output: "",
        prefix: "",
        backtrack: false,
        negated: false,
        brackets: 0,
        braces: 0,
        parens: 0,
        quotes: 0,
        globstar: false,
        tokens
      };
      input = utils.removePrefix(input, state);
      len = input.length;
      const extglobs = [];
      const braces = [];
      const stack = [];
      let prev = bos;
      let value;
      const eos = () => state.index === len - 1;
      const peek = state.peek = (n = 1) => input[state.index + n];
      const advance = state.advance = () => input[++state.index] || "";
      const remaining = () => input.slice(state.index + 1);
      const consume = (value2 = "", num = 0) => {
        state.consumed += value2;
        state.index += num;
      };
      const append = (token) => {
        state.output += token.output != null ? token.output : token.value;
        consume(token.value);
      };
      const negate = () => {
        let count = 1;
        while (peek() === "!" && (peek(2) !== "(" || peek(3) === "?")) {
          advance();
          state.start++;
          count++;
        }
        if (count % 2 === 0) {
          return false;
        }
        state.negated = true;
        state.start++;
        return true;
      };
      const increment = (type) => {
        state[type]++;
        stack.push(type);
      };
      const decrement = (type) => {
        state[type]--;
        stack.pop();
      };
      const push = (tok) => {
        if (prev.type === "globstar") {
          const isBrace = state.braces > 0 && (tok.type === "comma" || tok.type === "brace");
          const isExtglob = tok.extglob === true || extglobs.length && (tok.type === "pipe" || tok.type === "paren");
          if (tok.type !== "slash" && tok.type !== "paren" && !isBrace && !isExtglob) {
            state.output = state.output.slice(0, -prev.output.length);
            prev.type = "star";
            prev.value = "*";
            prev.output = star;
            state.output += prev.output;
          }
        }
        if (extglobs.length && tok.type !== "paren") {
          extglobs[extglobs.length - 1].inner += tok.value;
        }
        if (tok.value || tok.output) append(tok);
        if (prev && prev.type === "text" && tok.type === "text") {
          prev.output = (prev.output || prev.value) + tok.value;
          prev.value += tok.value;
          return;
        }
        tok.prev = prev;
        tokens.push(tok);
        prev = tok;
      };
      const extglobOpen = (type, value2) => {
        const token = { ...EXTGLOB_CHARS[value2], conditions: 1, inner: "" };
        token.prev = prev;
        token.parens = state.parens;
        token.output = state.output;
        token.startIndex = state.index;
        token.tokensIndex = tokens.length;
        const output = (opts.capture ? "(" : "") + token.open;
        increment("parens");
        push({ type, value: value2, output: state.output ? "" : ONE_CHAR });
        push({ type: "paren", extglob: true, value: advance(), output });
        extglobs.push(token);
      };
      const extglobClose = (token) => {
        const literal = input.slice(token.startIndex, state.index + 1);
        const body = input.slice(token.startIndex + 2, state.index);
        const analysis = analyzeRepeatedExtglob(body, opts);
        if ((token.type === "plus" || token.type === "star") && analysis.risky) {
          const safeOutput = analysis.safeOutput ? (token.output ? "" : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput) : void 0;
          const open = tokens[token.tokensIndex];
          open.type = "text";
          open.value = literal;
          open.output = safeOutput || utils.escapeRegex(literal);
          for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
            tokens[i].value = "";
            tokens[i].output = "";
            delete tokens[i].suffix;
          }
          state.output = token.output + open.output;
          state.backtrack = true;
          push({ type: "paren", extglob: true, value, output: "" });
          decrement("parens");
          return;
        }
        let output = token.close + (opts.capture ? ")" : "");
        let rest;
        if (token.type === "negate") {
          let extglobStar = star;
          if (token.inner && token.inner.length > 1 && token.inner.includes("/")) {
            extglobStar = globstar(opts);
          }
          if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
            output = token.close = `)$))${extglobStar}`;
          }
          if (token.inner.includes("*") && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
            const expression = parse(rest, { ...options, fastpaths: false }).output;
            output = token.close = `)${expression})${extglobStar})`;
          }
          if (token.prev.type === "bos") {
            state.negatedExtglob = true;
          }
        }
        push({ type: "paren", extglob: true, value, output });
        decrement("parens");
      };
      if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
        let backslashes = false;
        let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
          if (first === "\\") {
            backslashes = true;
            return m;
          }
          if (first === "?") {
            if (esc) {
              return esc + first + (rest ? QMARK.repeat(rest.length) : "");
            }
            if (index === 0) {
              return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : "");
            }
            return QMARK.repeat(chars.length);
          }
          if (first === ".") {
            return DOT_LITERAL.repeat(chars.length);
          }
          if (first === "*") {
            if (esc) {
              return esc + first + (rest ? star : "");
            }
            return star;
          }
          return esc ? m : `\\${m}`;
        });
        if (backslashes === true) {
          if (opts.unescape === true) {
            output = output.replace(/\\/g, "");
          } else {
            output = output.replace(/\\+/g, (m) => {
              return m.length % 2 === 0 ? "\\\\" : m ? "\\" : "";
            });
          }
        }
        if (output === input && opts.contains === true) {
          state.output = input;
          return state;
        }
        state.output = utils.wrapOutput(output, state, options);
        return state;
      }
      while (!eos()) {
        value = advance();
        if (value === "\0") {
          continue;
        }
        if (value === "\\") {
          const next = peek();
          if (next === "/" && opts.bash !== true) {
            continue;
          }
          if (next === "." || next === ";") {
            continue;
          }
          if (!next) {
            value += "\\";
            push({ type: "text", value });
            continue;
          }
          const match = /^\\+/.exec(remaining());
          let slashes = 0;
          if (match && match[0].length > 2) {
            slashes = match[0].length;
            state.index += slashes;
            if (slashes % 2 !== 0) {
              value += "\\";
            }
          }
          if (opts.unescape === true) {
            value = advance();
          } else {
            value += advance();
          }
          if (state.brackets === 0) {
            push({ type: "text", value });
            continue;
          }
        }
        if (state.brackets > 0 && (value !== "]" || prev.value === "[" || prev.value === "[^")) {
          if (opts.posix !== false && value === ":") {
            const inner = prev.value.slice(1);
            if (inner.includes("[")) {
              prev.posix = true;
              if (inner.includes(":")) {
                const idx = prev.value.lastIndexOf("[");
                const pre = prev.value.slice(0, idx);
                const rest2 = prev.value.slice(idx + 2);
                const posix = POSIX_REGEX_SOURCE[rest2];
                if (posix) {
                  prev.value = pre + posix;
                  state.backtrack = true;
                  advance();
                  if (!bos.output && tokens.indexOf(prev) === 1) {
                    bos.output = ONE_CHAR;
                  }
                  continue;
                }
              }
            }
          }
          if (value === "[" && peek() !== ":" || value === "-" && peek() === "]") {
            value = `\\${value}`;
          }
          if (value === "]" && (prev.value === "[" || prev.value === "[^")) {
            value = `\\${value}`;
          }
          if (opts.posix === true && value === "!" && prev.value === "[") {
            value = "^";
          }
          prev.value += value;
          append({ value });
          continue;
        }
        if (state.quotes === 1 && value !== '"') {
          value = utils.escapeRegex(value);
          prev.value += value;
          append({ value });
          continue;
        }
        if (value === '"') {
          state.quotes = state.quotes === 1 ? 0 : 1;
          if (opts.keepQuotes === true) {
            push({ type: "text", value });
          }
          continue;
        }
        if (value === "(") {
          increment("parens");
          push({ type: "paren", value });
          continue;
        }
        if (value === ")") {
          if (state.parens === 0 && opts.strictBrackets === true) {
            throw new SyntaxError(syntaxError("opening", "("));
          }
          const extglob = extglobs[extglobs.length - 1];
          if (extglob && state.parens === extglob.parens + 1) {
            extglobClose(extglobs.pop());
            continue;
          }
          push({ type: "paren", value, output: state.parens ? ")" : "\\)" });
          decrement("parens");
          continue;
        }
        if (value === "[") {
          if (opts.nobracket === true || !remaining().includes("]")) {
            if (opts.nobracket !== true && opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("closing", "]"));
            }
            value = `\\${value}`;
          } else {
            increment("brackets");
          }
          push({ type: "bracket", value });
          continue;
        }
        if (value === "]") {
          if (opts.nobracket === true || prev && prev.type === "bracket" && prev.value.length === 1) {
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          if (state.brackets === 0) {
            if (opts.strictBrackets === true) {
              throw new SyntaxError(syntaxError("opening", "["));
            }
            push({ type: "text", value, output: `\\${value}` });
            continue;
          }
          decrement("brackets");
          const prevValue = prev.value.slice(1);
          if (prev.posix !== true && prevValue[0] === "^" && !prevValue.includes("/")) {
            value = `/${value}`;
          }
          prev.value += value;
          append({ value });
          if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
            continue;
          }
          const escaped = utils.escapeRegex(prev.value);
          state.output = state.output.slice(0, -prev.value.length);
          if (opts.literalBrackets === true) {
            state.output += escaped;
            prev.value = escaped;
            continue;
          }
          prev.value = `(${capture}${escaped}|${prev.value})`;
          state.output += prev.value;
          continue;
        }
        if (value === "{" && opts.nobrace !== true) {
          increment("braces");
          const open = {
            type: "brace",
            value,
            output: "(",
            outputIndex: state.output.length,
            tokensIndex: state.tokens.length
          };
          braces.push(open);
          push(open);
          continue;
        }
        if (value === "}") {
          const brace = braces[braces.length - 1];
          if (opts.nobrace === true || !brace) {
            push({ type: "text", value, output: value });
            continue;
          }
          let output = ")";
          if (brace.dots === true) {
            const arr = tokens.slice();
            const range = [];
            for (let i = arr.length - 1; i >= 0; i--) {
              tokens.pop();
              if (arr[i].type === "brace") {
                break;
              }
              if (arr[i].type !== "dots") {
                range.unshift(arr[i].value);
              }
            }
            output = expandRange(range, opts);
            state.backtrack = true;
          }
          if (brace.comma !== true && brace.dots !== true) {
            const out = state.output.slice(0, brace.outputIndex);
            const toks = state.tokens.slice(brace.tokensIndex);
            brace.value = brace.output = "\\{";
            value = output = "\\}";
            state.output = out;
            for (const t of toks) {
              state.output += t.output || t.value;
            }
          }
          push({ type: "brace", value, output });
          decrement("braces");
          braces.pop();
          continue;
        }
        if (value === "|") {
          if (extglobs.length > 0) {
            extglobs[extglobs.length - 1].conditions++;
          }
          push({ type: "text", value });
          continue;
        }
        if (value === ",") {
          let output = value;
          const brace = braces[braces.length - 1];
          if (brace && stack[stack.length - 1] === "braces") {
            brace.comma = true;
            output = "|";
          }
          push({ type: "comma", value, output });
          continue;
        }
        if (value === "/") {
          if (prev.type === "dot" && state.index === state.start + 1) {
            state.start = state.index + 1;
            state.consumed = "";
            state.output = "";
            tokens.pop();
            prev = bos;
            continue;
          }
          push({ type: "slash", value, output: SLASH_LITERAL });
          continue;
        }
        if (value === ".") {
          if (state.braces > 0 && prev.type === "dot") {
            if (prev.value === ".") prev.output = DOT_LITERAL;
            const brace = braces[braces.length - 1];
            prev.type = "dots";
            prev.output += value;
            prev.value += value;
            brace.dots = true;
            continue;
          }
          if (state.braces + state.parens === 0 && prev.type !== "bos" && prev.type !== "slash") {
            push({ type: "text", value, output: DOT_LITERAL });
            continue;
          }
          push({ type: "dot", value, output: DOT_LITERAL });
          continue;
        }
        if (value === "?") {
          const isGroup = prev && prev.value === "(";
          if (!isGroup && opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("qmark", value);
            continue;
          }
          if (prev && prev.type === "paren") {
            const next = peek();
            let output = value;
            if (prev.value === "(" && !/[!=<:]/.test(next) || next === "<" && !/<([!=]|\w+>)/.test(remaining())) {
              output = `\\${value}`;
            }
            push({ type: "text", value, output });
            continue;
          }
          if (opts.dot !== true && (prev.type === "slash" || prev.type === "bos")) {
            push({ type: "qmark", value, output: QMARK_NO_DOT });
            continue;
          }
          push({ type: "qmark", value, output: QMARK });
          continue;
        }
        if (value === "!") {
          if (opts.noextglob !== true && peek() === "(") {
            if (peek(2) !== "?" || !/[!=<:]/.test(peek(3))) {
              extglobOpen("negate", value);
              continue;
            }
          }
          if (opts.nonegate !== true && state.index === 0) {
            negate();
            continue;
          }
        }
        if (value === "+") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            extglobOpen("plus", value);
            continue;
          }
          if (prev && prev.value === "(" || opts.regex === false) {
            push({ type: "plus", value, output: PLUS_LITERAL });
            continue;
          }
          if (prev && (prev.type === "bracket" || prev.type === "paren" || prev.type === "brace") || state.parens > 0) {
            push({ type: "plus", value });
            continue;
          }
          push({ type: "plus", value: PLUS_LITERAL });
          continue;
        }
        if (value === "@") {
          if (opts.noextglob !== true && peek() === "(" && peek(2) !== "?") {
            push({ type: "at", extglob: true, value, output: "" });
            continue;
          }
          push({ type: "text", value });
          continue;
        }
        if (value !== "*") {
          if (value === "$" || value === "^") {
            value = `\\${value}`;
          }
          const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
          if (match) {
            value += match[0];
            state.index += match[0].length;
          }
          push({ type: "text", value });
          continue;
        }
        if (prev && (prev.type === "globstar" || prev.star === true)) {
          prev.type = "star";
          prev.star = true;
          prev.value += value;
          prev.output = star;
          state.backtrack = true;
          state.globstar = true;
          consume(value);
          continue;
        }
        let rest = remaining();
        if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
          extglobOpen("star", value);
          continue;
        }
        if (prev.type === "star") {
          if (opts.noglobstar === true) {
            consume(value);
            continue;
          }
          const prior = prev.prev;
          const before = prior.prev;
          const isStart = prior.type === "slash" || prior.type === "bos";
          const afterStar = before && (before.type === "star" || before.type === "globstar");
          if (opts.bash === true && (!isStart || rest[0] && rest[0] !== "/")) {
            push({ type: "star", value, output: "" });
            continue;
          }
          const isBrace = state.braces > 0 && (prior.type === "comma" || prior.type === "brace");
          const isExtglob = extglobs.length && (prior.type === "pipe" || prior.type === "paren");
          if (!isStart && prior.type !== "paren" && !isBrace && !isExtglob) {
            push({ type: "star", value, output: "" });
            continue;
          }
          while (rest.slice(0, 3) === "/**") {
            const after = input[state.index + 4];
            if (after && after !== "/") {
              break;
            }
            rest = rest.slice(3);
            consume("/**", 3);
          }
          const isEnd = eos() || state.parens > 0 && rest === ")".repeat(state.parens) && !extglobs.some((extglob) => extglob.type === "negate");
          if (prior.type === "bos" && eos()) {
            prev.type = "globstar";
            prev.value += value;
            prev.output = globstar(opts);
            state.output = prev.output;
            state.globstar = true;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && !afterStar && isEnd) {
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = globstar(opts) + (opts.strictSlashes ? ")" : "|$)");
            prev.value += value;
            state.globstar = true;
            state.output += prior.output + prev.output;
            consume(value);
            continue;
          }
          if (prior.type === "slash" && prior.prev.type !== "bos" && rest[0] === "/") {
            const end = rest[1] !== void 0 ? "|$" : "";
            state.output = state.output.slice(0, -(prior.output + prev.output).length);
            prior.output = `(?:${prior.output}`;
            prev.type = "globstar";
            prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
            prev.value += value;
            state.output += prior.output + prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          if (prior.type === "bos" && rest[0] === "/") {
            prev.type = "globstar";
            prev.value += value;
            prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
            state.output = prev.output;
            state.globstar = true;
            consume(value + advance());
            push({ type: "slash", value: "/", output: "" });
            continue;
          }
          state.output = state.output.slice(0, -prev.output.length);
          prev.type = "globstar";
          prev.output = globstar(opts);
          prev.value += value;
          state.output += prev.output;
          state.globstar = true;
          consume(value);
          continue;
        }
        const token = { type: "star", value, output: star };
        if (opts.bash === true) {
          token.output = ".*?";
          if (prev.type === "bos" || prev.type === "slash") {
            token.output = nodot + token.output;
          }
          push(token);
          continue;
        }
        if (prev && (prev.type === "bracket" || prev.type === "paren") && opts.regex === true) {
          token.output = value;
          push(token);
          continue;
        }
        if (state.index === state.start || prev.type === "slash" || prev.type === "dot") {
          if (prev.type === "dot") {
            state.output += NO_DOT_SLASH;
            prev.output += NO_DOT_SLASH;
          } else if (opts.dot === true) {
            state.output += NO_DOTS_SLASH;
            prev.output += NO_DOTS_SLASH;
          } else {
            state.output += nodot;
            prev.output += nodot;
          }
          if (peek() !== "*") {
            state.output += ONE_CHAR;
            prev.output += ONE_CHAR;
          }
        }
        push(token);
      }
      while (state.brackets > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "]"));
        state.output = utils.escapeLast(state.output, "[");
        decrement("brackets");
      }
      while (state.parens > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", ")"));
        state.output = utils.escapeLast(state.output, "(");
        decrement("parens");
      }
      while (state.braces > 0) {
        if (opts.strictBrackets === true) throw new SyntaxError(syntaxError("closing", "}"));
        state.output = utils.escapeLast(state.output, "{");
        decrement("braces");
      }
      if (opts.strictSlashes !== true && (prev.type === "star" || prev.type === "bracket")) {
        push({ type: "maybe_slash", value: "", output: `${SLASH_LITERAL}?` });
      }
      if (state.backtrack === true) {
        state.output = "";
        for (const token of state.tokens) {
          state.output += token.output != null ? token.output : token.value;
          if (token.suffix) {
            state.output += token.suffix;
          }
        }
      }
      return state;
    };
    parse.fastpaths = (input, options) => {
      const opts = { ...options };
      const max = typeof opts.maxLength === "number" ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
      const len = input.length;
      if (len > max) {
        throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
      }
      input = REPLACEMENTS[input] || input;
      const {
        DOT_LITERAL,
        SLASH_LITERAL,
        ONE_CHAR,
        DOTS_SLASH,
        NO_DOT,
        NO_DOTS,
        NO_DOTS_SLASH,
        STAR,
        START_ANCHOR
      } = constants.globChars(opts.windows);
      const nodot = opts.dot ? NO_DOTS : NO_DOT;
      const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
      const capture = opts.capture ? "" : "?:";
      const state = { negated: false, prefix: "" };
      let star = opts.bash === true ? ".*?" : STAR;
      if (opts.capture) {
        star = `(${star})`;
      }
      const globstar = (opts2) => {
        if (opts2.noglobstar === true) return star;
        return `(${capture}(?:(?!${START_ANCHOR}${opts2.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
      };
      const create = (str) => {
        switch (str) {
          case "*":
            return `${nodot}${ONE_CHAR}${star}`;
          case ".*":
            return `${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*.*":
            return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "*/*":
            return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;
          case "**":
            return nodot + globstar(opts);
          case "**/*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;
          case "**/*.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;
          case "**/.*":
            return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;
          default: {
            const match = /^(.*?)\.(\w+)$/.exec(str);
            if (!match) return;
            const source2 = create(match[1]);
            if (!source2) return;
            return source2 + DOT_LITERAL + match[2];
          }
        }
      };
      const output = utils.removePrefix(input, state);
      let source = create(output);
      if (source && opts.strictSlashes !== true) {
        source += `${SLASH_LITERAL}?`;
      }
      return source;
    };
    module.exports = parse;
  }
});

// node_modules/picomatch/lib/picomatch.js
var require_picomatch = __commonJS({
  "node_modules/picomatch/lib/picomatch.js"(exports, module) {
    "use strict";
    var scan = require_scan();
    var parse = require_parse();
    var utils = require_utils();
    var constants = require_constants();
    var isObject = (val) => val && typeof val === "object" && !Array.isArray(val);
    var picomatch2 = (glob, options, returnState = false) => {
      if (Array.isArray(glob)) {
        const fns = glob.map((input) => picomatch2(input, options, returnState));
        const arrayMatcher = (str) => {
          for (const isMatch of fns) {
            const state2 = isMatch(str);
            if (state2) return state2;
          }
          return false;
        };
        return arrayMatcher;
      }
      const isState = isObject(glob) && glob.tokens && glob.input;
      if (glob === "" || typeof glob !== "string" && !isState) {
        throw new TypeError("Expected pattern to be a non-empty string");
      }
      const opts = options || {};
      const posix = opts.windows;
      const regex = isState ? picomatch2.compileRe(glob, options) : picomatch2.makeRe(glob, options, false, true);
      const state = regex.state;
      delete regex.state;
      let isIgnored = () => false;
      if (opts.ignore) {
        const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
        isIgnored = picomatch2(opts.ignore, ignoreOpts, returnState);
      }
      const matcher = (input, returnObject = false) => {
        const { isMatch, match, output } = picomatch2.test(input, regex, options, { glob, posix });
        const result = { glob, state, regex, posix, input, output, match, isMatch };
        if (typeof opts.onResult === "function") {
          opts.onResult(result);
        }
        if (isMatch === false) {
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (isIgnored(input)) {
          if (typeof opts.onIgnore === "function") {
            opts.onIgnore(result);
          }
          result.isMatch = false;
          return returnObject ? result : false;
        }
        if (typeof opts.onMatch === "function") {
          opts.onMatch(result);
        }
        return returnObject ? result : true;
      };
      if (returnState) {
        matcher.state = state;
      }
      return matcher;
    };
    picomatch2.test = (input, regex, options, { glob, posix } = {}) => {
      if (typeof input !== "string") {
        throw new TypeError("Expected input to be a string");
      }
      if (input === "") {
        return { isMatch: false, output: "" };
      }
      const opts = options || {};
      const format = opts.format || (posix ? utils.toPosixSlashes : null);
      let match = input === glob;
      let output = match && format ? format(input) : input;
      if (match === false) {
        output = format ? format(input) : input;
        match = output === glob;
      }
      if (match === false || opts.capture === true) {
        if (opts.matchBase === true || opts.basename === true) {
          match = picomatch2.matchBase(input, regex, options, posix);
        } else {
          match = regex.exec(output);
        }
      }
      return { isMatch: Boolean(match), match, output };
    };
    picomatch2.matchBase = (input, glob, options, posix = options && options.windows) => {
      const regex = glob instanceof RegExp ? glob : picomatch2.makeRe(glob, options);
      return regex.test(utils.basename(input, { windows: posix }));
    };
    picomatch2.isMatch = (str, patterns, options) => picomatch2(patterns, options)(str);
    picomatch2.parse = (pattern, options) => {
      if (Array.isArray(pattern)) return pattern.map((p) => picomatch2.parse(p, options));
      return parse(pattern, { ...options, fastpaths: false });
    };
    picomatch2.scan = (input, options) => scan(input, options);
    picomatch2.compileRe = (state, options, returnOutput = false, returnState = false) => {
      if (returnOutput === true) {
        return state.output;
      }
      const opts = options || {};
      const prepend = opts.contains ? "" : "^";
      const append = opts.contains ? "" : "$";
      let source = `${prepend}(?:${state.output})${append}`;
      if (state && state.negated === true) {
        source = `^(?!${source}).*$`;
      }
      const regex = picomatch2.toRegex(source, options);
      if (returnState === true) {
        regex.state = state;
      }
      return regex;
    };
    picomatch2.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
      if (!input || typeof input !== "string") {
        throw new TypeError("Expected a non-empty string");
      }
      let parsed = { negated: false, fastpaths: true };
      if (options.fastpaths !== false && (input[0] === "." || input[0] === "*")) {
        parsed.output = parse.fastpaths(input, options);
      }
      if (!parsed.output) {
        parsed = parse(input, options);
      }
      return picomatch2.compileRe(parsed, options, returnOutput, returnState);
    };
    picomatch2.toRegex = (source, options) => {
      try {
        const opts = options || {};
        return new RegExp(source, opts.flags || (opts.nocase ? "i" : ""));
      } catch (err) {
        if (options && options.debug === true) throw err;
        return /$^/;
      }
    };
    picomatch2.constants = constants;
    module.exports = picomatch2;
  }
});

// node_modules/picomatch/index.js
var require_picomatch2 = __commonJS({
  "node_modules/picomatch/index.js"(exports, module) {
    "use strict";
    var pico = require_picomatch();
    var utils = require_utils();
    function picomatch2(glob, options, returnState = false) {
      if (options && (options.windows === null || options.windows === void 0)) {
        options = { ...options, windows: utils.isWindows() };
      }
      return pico(glob, options, returnState);
    }
    Object.assign(picomatch2, pico);
    module.exports = picomatch2;
  }
});

// src/references/scan-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/references/extractors.ts
var import_picomatch = __toESM(require_picomatch2(), 1);

// src/formats/text-position.ts
function lineStartsOf(text) {
  const starts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
  return starts;
}

// src/references/source-text.ts
var COMMENT_WINDOW = 240;
var SNIPPET_LENGTH = 80;
var SourceText = class {
  text;
  lineStarts;
  commentLine = -1;
  commentLineVerdict = "code";
  constructor(text) {
    this.text = text;
  }
  /** 0-based index of the line holding `index`. */
  lineIndexOf(index) {
    const starts = this.starts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = low + high + 1 >>> 1;
      if (starts[middle] <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }
  position(index) {
    const line = this.lineIndexOf(index);
    return { line: line + 1, column: index - this.starts()[line] + 1 };
  }
  reference(index, name, style, flags = {}) {
    const { line, column } = this.position(index);
    return {
      name,
      line,
      column,
      style,
      ...flags.prefix ? { prefix: true } : {},
      ...flags.optional ? { optional: true } : {}
    };
  }
  /**
   * An unresolvable read starting at `start`. The snippet is the rest of the
   * line, at most 80 characters, cut after the first `closing` character
   * (`]`, `)`) when there is one.
   */
  unresolvable(start, closing) {
    const { line, column } = this.position(start);
    let snippet = this.text.slice(start, start + SNIPPET_LENGTH);
    const lineBreak = snippet.search(/[\r\n]/);
    if (lineBreak !== -1) snippet = snippet.slice(0, lineBreak);
    const close = closing === void 0 ? -1 : snippet.indexOf(closing);
    if (close !== -1) snippet = snippet.slice(0, close + 1);
    return { line, column, snippet: snippet.trimEnd() };
  }
  /**
   * Whether the match at `index` sits in an obvious comment: a line that
   * starts with a comment marker (or `*`, inside a block comment), or a
   * trailing comment when nothing before the marker on the line is a quote.
   * Heuristic and cheap: multi-line block comments whose lines do not start
   * with `*` are not recognised, and neither are markers more than 240
   * characters before the match.
   */
  isCommented(index, syntax) {
    const line = this.lineIndexOf(index);
    const lineStart = this.starts()[line];
    const windowStart = Math.max(lineStart, index - COMMENT_WINDOW);
    const window = this.text.slice(windowStart, index);
    const verdict = this.lineVerdict(line, lineStart, syntax);
    if (verdict === "comment") return true;
    if (verdict === "block-start") return !window.includes("*/");
    if (windowStart !== lineStart) return false;
    for (const marker of syntax.line) {
      for (let at = window.indexOf(marker); at > 0; at = window.indexOf(marker, at + marker.length)) {
        if (marker === "#" && !/\s/.test(window[at - 1])) continue;
        if (quotesBalanced(window, at)) return true;
      }
    }
    if (syntax.block) {
      const at = window.lastIndexOf("/*");
      if (at > 0 && !window.includes("*/", at) && quotesBalanced(window, at)) return true;
    }
    return false;
  }
  lineVerdict(line, lineStart, syntax) {
    if (line === this.commentLine) return this.commentLineVerdict;
    let first = lineStart;
    const text = this.text;
    while (first < text.length && (text[first] === " " || text[first] === "	")) first++;
    let verdict = "code";
    if (syntax.line.some((marker) => text.startsWith(marker, first))) verdict = "comment";
    else if (syntax.block && text.startsWith("/*", first)) verdict = "block-start";
    else if (syntax.block && text[first] === "*" && text[first + 1] !== "/") verdict = "comment";
    this.commentLine = line;
    this.commentLineVerdict = verdict;
    return verdict;
  }
  starts() {
    this.lineStarts ??= lineStartsOf(this.text);
    return this.lineStarts;
  }
};
function literalOf(match, first = 1, last = 3) {
  for (let group = first; group <= last; group++) {
    const value = match[group];
    if (value !== void 0) return value;
  }
  return void 0;
}
function stickyAt(regex, text, index) {
  regex.lastIndex = index;
  return regex.exec(text) ?? void 0;
}
function quotesBalanced(text, end) {
  let open = "";
  for (let at = 0; at < end; at++) {
    const char = text[at];
    if (open !== "") {
      if (char === "\\") at++;
      else if (char === open) open = "";
    } else if (char === "'" || char === '"' || char === "`") {
      open = char;
    }
  }
  return open === "";
}
function pushEnvLiteral(source, start, match, optional, references) {
  const name = literalOf(match, 1, 2);
  if (name !== "") references.push(source.reference(start, name, "env", { optional }));
}
function extractAtAnchors(text, anchors, syntax, read) {
  const references = [];
  const unresolvable = [];
  const source = new SourceText(text);
  const isCode = typeof syntax === "function" ? syntax(text) : (index) => !source.isCommented(index, syntax);
  for (const anchor of text.matchAll(anchors)) {
    const start = anchor.index;
    if (!isCode(start)) continue;
    read({ text, source, anchor, start, end: start + anchor[0].length, references, unresolvable });
  }
  return { references, unresolvable };
}

// src/references/extract-go.ts
var SYNTAX = { line: ["//"], block: true };
var ANCHOR = /\bos\.(?:Getenv|(LookupEnv))\b/g;
var CALL = /\s*\(\s*(?:"([^"\\\r\n]*)"|`([^`\r\n]*)`)\s*\)/y;
var CALL_OPEN = /\s*\(/y;
var goExtractor = {
  id: "go",
  extensions: [".go"],
  needles: ["Getenv", "LookupEnv"],
  extract(text) {
    return extractAtAnchors(text, ANCHOR, SYNTAX, ({ anchor, start, end, source, references, unresolvable }) => {
      const call = stickyAt(CALL, text, end);
      if (call) {
        pushEnvLiteral(source, start, call, anchor[1] !== void 0, references);
      } else if (stickyAt(CALL_OPEN, text, end)) {
        unresolvable.push(source.unresolvable(start, ")"));
      }
    });
  }
};

// src/references/javascript-code.ts
function javascriptCodeFilter(text) {
  const lexer = new Lexer(text);
  return (index) => lexer.isCode(index);
}
var BEFORE_REGEX = /* @__PURE__ */ new Set(["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", ";", "~", "+", "-", "*", "%", "^"]);
var KEYWORDS_BEFORE_REGEX = /* @__PURE__ */ new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await"
]);
var SPECIAL = /[/'"`{}]/g;
var Lexer = class {
  #text;
  /** Where lexing goes on. */
  #at = 0;
  #stack = [];
  /** Non-code spans found so far, [start, end), in order. */
  #spans = [];
  /** The first span that may still hold an offset asked for. */
  #next = 0;
  constructor(text) {
    this.#text = text;
  }
  #lastAsked = 0;
  isCode(index) {
    if (index < this.#lastAsked) this.#next = 0;
    this.#lastAsked = index;
    while (this.#at <= index && this.#at < this.#text.length) this.#step();
    while (this.#next < this.#spans.length && (this.#spans[this.#next]?.[1] ?? 0) <= index) this.#next++;
    const span = this.#spans[this.#next];
    return span === void 0 || index < span[0];
  }
  #step() {
    const text = this.#text;
    SPECIAL.lastIndex = this.#at;
    const found = SPECIAL.exec(text);
    if (!found) {
      this.#at = text.length;
      return;
    }
    const at = found.index;
    const char = found[0];
    this.#at = at + 1;
    const top = this.#stack[this.#stack.length - 1];
    if (char === "{") {
      if (top?.kind === "interpolation") top.depth++;
    } else if (char === "}") {
      if (top?.kind !== "interpolation") return;
      if (top.depth > 0) {
        top.depth--;
        return;
      }
      this.#stack.pop();
      this.#templateText(at + 1);
    } else if (char === "`") {
      if (text.indexOf("`", at + 1) === -1) return;
      this.#stack.push({ kind: "template" });
      this.#templateText(at, at + 1);
    } else if (char === "'" || char === '"') {
      const end = quotedEnd(text, at, char);
      if (end !== -1) this.#span(at, end);
    } else {
      this.#slash(at);
    }
  }
  /**
   * Template text as one span from `start` (its opening backtick, or just
   * after the `}` of an interpolation), read from `from`: up to the closing
   * backtick, or up to and including the next `${`, whose code comes next.
   */
  #templateText(start, from = start) {
    const text = this.#text;
    let at = from;
    while (at < text.length) {
      const char = text[at];
      if (char === "\\") {
        at += 2;
        continue;
      }
      if (char === "`") {
        this.#stack.pop();
        this.#span(start, at + 1);
        return;
      }
      if (char === "$" && text[at + 1] === "{") {
        this.#span(start, at + 2);
        this.#stack.push({ kind: "interpolation", depth: 0 });
        return;
      }
      at++;
    }
    this.#span(start, text.length);
  }
  #slash(at) {
    const text = this.#text;
    const next = text[at + 1];
    if (next === "/") {
      const end2 = text.indexOf("\n", at);
      this.#span(at, end2 === -1 ? text.length : end2);
      return;
    }
    if (next === "*") {
      const end2 = text.indexOf("*/", at + 2);
      if (end2 !== -1) this.#span(at, end2 + 2);
      return;
    }
    if (!startsRegex(text, at)) return;
    const end = regexEnd(text, at);
    if (end !== -1) this.#span(at, end);
  }
  #span(start, end) {
    this.#spans.push([start, end]);
    this.#at = Math.max(this.#at, end);
  }
};
function quotedEnd(text, start, quote) {
  for (let at = start + 1; at < text.length; at++) {
    const char = text[at];
    if (char === "\\") {
      at++;
      continue;
    }
    if (char === quote) return at + 1;
    if (char === "\n" || char === "\r") return -1;
  }
  return -1;
}
function startsRegex(text, at) {
  let before = at - 1;
  while (before >= 0 && /\s/.test(text[before])) before--;
  if (before < 0) return true;
  const char = text[before];
  if (char === ">") return text[before - 1] === "=";
  if (BEFORE_REGEX.has(char)) return true;
  if (!/[A-Za-z]/.test(char)) return false;
  let start = before;
  while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
  return KEYWORDS_BEFORE_REGEX.has(text.slice(start, before + 1));
}
function regexEnd(text, start) {
  let inClass = false;
  for (let at = start + 1; at < text.length; at++) {
    const char = text[at];
    if (char === "\\") {
      at++;
      continue;
    }
    if (char === "\n" || char === "\r") return -1;
    if (char === "[") inClass = true;
    else if (char === "]") inClass = false;
    else if (char === "/" && !inClass) {
      let end = at + 1;
      while (end < text.length && /[a-z]/i.test(text[end])) end++;
      return end;
    }
  }
  return -1;
}

// src/references/extract-javascript.ts
var ANCHOR2 = /\b(?:process\.env|import\.meta\.env)\b|\bconfig\.(get|has)\b/g;
var MEMBER = /[ \t]*(?:\?\.|\.)[ \t]*([A-Za-z_$][\w$]*)/y;
var BRACKET_LITERAL = /\s*(?:\?\.)?\[\s*(?:'([^'\\\r\n]*)'|"([^"\\\r\n]*)"|`([^`\\$\r\n]*)`)\s*\]/y;
var BRACKET_OPEN = /\s*(?:\?\.)?\[/y;
var ASSIGNMENT = /\s*=(?![=>])/y;
var FALLBACK = /\s*(?:\?\?|\|\||\?(?![.?]))/y;
var TYPE_ARGUMENTS = String.raw`(?:\s*<[^<>();]*(?:<[^<>();]*(?:<[^<>();]*>[^<>();]*)*>[^<>();]*)*>)?`;
var CALL_LITERAL = new RegExp(
  String.raw`${TYPE_ARGUMENTS}\s*\(\s*(?:'([^'\\\r\n]*)'|"([^"\\\r\n]*)"|\`([^\`\\$\r\n]*)\`)\s*([,)])`,
  "y"
);
var CALL_OPEN2 = new RegExp(String.raw`${TYPE_ARGUMENTS}\s*\(`, "y");
var GUARD_REACH = 300;
var DESTRUCTURING_REACH = 2e3;
var javascriptExtractor = {
  id: "javascript",
  extensions: [".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte"],
  needles: [".env", "config."],
  extract(text) {
    return extractAtAnchors(
      text,
      ANCHOR2,
      javascriptCodeFilter,
      ({ anchor, start, end, source, references, unresolvable }) => {
        if (anchor[1] === void 0) readEnv(source, start, end, references, unresolvable);
        else readConfig(source, start, end, anchor[1] === "has", references, unresolvable);
      }
    );
  }
};
function readEnv(source, start, end, references, unresolvable) {
  const text = source.text;
  const member = stickyAt(MEMBER, text, end) ?? stickyAt(BRACKET_LITERAL, text, end);
  if (member) {
    const after = member.index + member[0].length;
    if (stickyAt(ASSIGNMENT, text, after)) return;
    const name = literalOf(member);
    if (name === "") return;
    const optional = stickyAt(FALLBACK, text, after) !== void 0 || guardedBy(text, start, () => envGuard(name));
    references.push(source.reference(start, name, "env", { optional }));
    return;
  }
  if (stickyAt(BRACKET_OPEN, text, end)) {
    unresolvable.push(source.unresolvable(start, "]"));
    return;
  }
  readDestructuring(source, start, references, unresolvable);
}
function readDestructuring(source, start, references, unresolvable) {
  const text = source.text;
  let at = skipSpaceBackward(text, start - 1);
  if (text[at] !== "=" || "=!<>+-*/%&|^?".includes(text[at - 1] ?? "")) return;
  at = skipSpaceBackward(text, at - 1);
  if (text[at] !== "}") return;
  const close = at;
  const limit = Math.max(0, close - DESTRUCTURING_REACH);
  let open = close - 1;
  while (open >= limit && text[open] !== "{" && text[open] !== "}") open--;
  if (open < limit || text[open] !== "{") return;
  for (const entry of splitEntries(text, open + 1, close)) {
    const parsed = ENTRY.exec(text.slice(entry.start, entry.end));
    if (!parsed) continue;
    const nameIndex = entry.start + (parsed.index ?? 0) + (parsed[0].length - parsed[0].trimStart().length);
    if (parsed[1] !== void 0) continue;
    if (parsed[5] !== void 0) {
      unresolvable.push(source.unresolvable(nameIndex, "]"));
      continue;
    }
    const name = literalOf(parsed, 2, 4);
    if (name === "") continue;
    const optional = /=(?![=>])/.test(text.slice(entry.start, entry.end).replace(/^[^:=]*:\s*[\w$]+\s*/, ""));
    references.push(source.reference(nameIndex, name, "env", { optional }));
  }
}
var ENTRY = /^\s*(?:(\.\.\.)|'([^'\\]*)'|"([^"\\]*)"|([A-Za-z_$][\w$]*)|(\[))/;
function splitEntries(text, from, to) {
  const entries = [];
  let depth = 0;
  let quote = "";
  let entryStart = from;
  for (let at = from; at < to; at++) {
    const char = text[at];
    if (quote) {
      if (char === "\\") at++;
      else if (char === quote) quote = "";
      continue;
    }
    if (char === "'" || char === '"' || char === "`") quote = char;
    else if (char === "(" || char === "[" || char === "{") depth++;
    else if (char === ")" || char === "]" || char === "}") depth--;
    else if (char === "," && depth === 0) {
      entries.push({ start: entryStart, end: at });
      entryStart = at + 1;
    }
  }
  entries.push({ start: entryStart, end: to });
  return entries;
}
function skipSpaceBackward(text, at) {
  let index = at;
  while (index >= 0 && /\s/.test(text[index])) index--;
  return index;
}
function readConfig(source, start, end, presenceCheck, references, unresolvable) {
  const text = source.text;
  const call = stickyAt(CALL_LITERAL, text, end);
  if (call) {
    const name = literalOf(call);
    if (name === "") return;
    const closed = call[4] === ")";
    const optional = presenceCheck || closed && stickyAt(FALLBACK, text, call.index + call[0].length) !== void 0 || guardedBy(text, start, () => configGuard(name));
    references.push(source.reference(start, name, "dotted", { optional }));
    return;
  }
  if (!stickyAt(CALL_OPEN2, text, end)) return;
  unresolvable.push(source.unresolvable(start, ")"));
}
function guardedBy(text, start, guard) {
  const before = text.slice(Math.max(0, start - GUARD_REACH), start);
  if (!before.includes("?")) return false;
  return new RegExp(String.raw`(?:(?<!!\s*)${guard()}\s*\?\s*|!\s*${guard()}\s*\?[^?:;]*:\s*)$`).test(before);
}
function configGuard(name) {
  return String.raw`\bconfig\.has${TYPE_ARGUMENTS}\s*\(\s*${quotedLiteral(name)}\s*\)`;
}
function envGuard(name) {
  return String.raw`\bprocess\.env\s*(?:\??\.\s*${escapeRegExp(name)}\b|(?:\?\.)?\[\s*${quotedLiteral(name)}\s*\])`;
}
function quotedLiteral(name) {
  const quoted = escapeRegExp(name);
  return `(?:'${quoted}'|"${quoted}"|\`${quoted}\`)`;
}
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// src/references/extract-jvm.ts
var SYNTAX2 = { line: ["//"], block: true };
var ANCHOR3 = /\bSystem\.getenv\b|@(?:(Value)|(ConfigurationProperties))\b/g;
var GETENV = /\s*\(\s*"([^"\\\r\n]*)"\s*\)/y;
var EMPTY_CALL = /\s*\(\s*\)/y;
var CALL_OPEN3 = /\s*\(/y;
var VALUE_ARGUMENT = /\s*\(\s*(?:value\s*=\s*)?"((?:[^"\\\r\n]|\\.)*)"/y;
var PREFIX_ARGUMENT = /\s*\(\s*(?:(?:prefix|value)\s*=\s*)?"([^"\\\r\n]*)"/y;
var PLACEHOLDER = /\\?\$\{([^}:\s\\$"]+)(:?)/g;
var jvmExtractor = {
  id: "jvm",
  extensions: [".java", ".kt", ".kts"],
  needles: ["getenv", "@Value", "@ConfigurationProperties"],
  extract(text) {
    return extractAtAnchors(text, ANCHOR3, SYNTAX2, ({ anchor, start, end, source, references, unresolvable }) => {
      if (anchor[1] !== void 0) {
        readValueAnnotation(source, start, end, references, unresolvable);
        return;
      }
      if (anchor[2] !== void 0) {
        const argument = stickyAt(PREFIX_ARGUMENT, text, end);
        const name = argument?.[1];
        if (name) references.push(source.reference(start, name, "dotted", { prefix: true, optional: true }));
        return;
      }
      const call = stickyAt(GETENV, text, end);
      if (call) {
        if (call[1]) references.push(source.reference(start, call[1], "env"));
      } else if (!stickyAt(EMPTY_CALL, text, end) && stickyAt(CALL_OPEN3, text, end)) {
        unresolvable.push(source.unresolvable(start, ")"));
      }
    });
  }
};
function readValueAnnotation(source, start, end, references, unresolvable) {
  const text = source.text;
  const argument = stickyAt(VALUE_ARGUMENT, text, end);
  if (!argument) {
    if (stickyAt(CALL_OPEN3, text, end)) unresolvable.push(source.unresolvable(start, ")"));
    return;
  }
  const content = argument[1];
  const contentStart = argument.index + argument[0].length - content.length - 1;
  for (const placeholder of content.matchAll(PLACEHOLDER)) {
    const index = contentStart + placeholder.index;
    const name = placeholder[1];
    references.push(source.reference(index, name, "dotted", { optional: placeholder[2] === ":" }));
  }
}

// src/references/extract-python.ts
var SYNTAX3 = { line: ["#"], block: false };
var ANCHOR4 = /(?<![\w.])(?:os\.)?(?:(environ)|getenv)\b/g;
var LITERAL = String.raw`(?:'([^'\\\r\n]*)'|"([^"\\\r\n]*)")`;
var SUBSCRIPT = new RegExp(String.raw`\s*\[\s*${LITERAL}\s*\]`, "y");
var SUBSCRIPT_OPEN = /\s*\[/y;
var GET_CALL = new RegExp(String.raw`\s*\.\s*get\s*\(\s*${LITERAL}\s*(,)?`, "y");
var GET_OPEN = /\s*\.\s*get\s*\(/y;
var CALL2 = new RegExp(String.raw`\s*\(\s*${LITERAL}\s*(,)?`, "y");
var CALL_OPEN4 = /\s*\(/y;
var ASSIGNMENT2 = /\s*=(?!=)/y;
var pythonExtractor = {
  id: "python",
  extensions: [".py"],
  needles: ["environ", "getenv"],
  extract(text) {
    return extractAtAnchors(text, ANCHOR4, SYNTAX3, ({ anchor, start, end, source, references, unresolvable }) => {
      if (anchor[1] !== void 0) {
        const subscript = stickyAt(SUBSCRIPT, text, end);
        if (subscript) {
          if (stickyAt(ASSIGNMENT2, text, end + subscript[0].length)) return;
          pushEnvLiteral(source, start, subscript, false, references);
          return;
        }
        if (stickyAt(SUBSCRIPT_OPEN, text, end)) {
          unresolvable.push(source.unresolvable(start, "]"));
          return;
        }
        const get = stickyAt(GET_CALL, text, end);
        if (get) pushEnvLiteral(source, start, get, get[3] !== void 0, references);
        else if (stickyAt(GET_OPEN, text, end)) unresolvable.push(source.unresolvable(start, ")"));
        return;
      }
      const call = stickyAt(CALL2, text, end);
      if (call) pushEnvLiteral(source, start, call, call[3] !== void 0, references);
      else if (stickyAt(CALL_OPEN4, text, end)) unresolvable.push(source.unresolvable(start, ")"));
    });
  }
};

// src/references/extract-ruby.ts
var SYNTAX4 = { line: ["#"], block: false };
var ANCHOR5 = /(?<![\w.$@])ENV\b/g;
var LITERAL2 = String.raw`(?:'([^'\\\r\n]*)'|"([^"\\#\r\n]*)")`;
var SUBSCRIPT2 = new RegExp(String.raw`\s*\[\s*${LITERAL2}\s*\]`, "y");
var SUBSCRIPT_OPEN2 = /\s*\[/y;
var FETCH = new RegExp(String.raw`\s*\.\s*fetch\b\s*\(?\s*${LITERAL2}\s*(,)?`, "y");
var FETCH_OPEN = /\s*\.\s*fetch\b/y;
var PRESENCE = new RegExp(String.raw`\s*\.\s*(?:key\?|has_key\?|include\?|member\?)\s*\(?\s*${LITERAL2}`, "y");
var BLOCK = /\s*\)?\s*(?:\{|do\b)/y;
var ASSIGNMENT3 = /\s*=(?![=~>])/y;
var FALLBACK2 = /\s*\|\|/y;
var rubyExtractor = {
  id: "ruby",
  extensions: [".rb", ".rake", ".ru", ".erb", ".gemspec"],
  needles: ["ENV"],
  extract(text) {
    return extractAtAnchors(text, ANCHOR5, SYNTAX4, ({ start, end, source, references, unresolvable }) => {
      const subscript = stickyAt(SUBSCRIPT2, text, end);
      if (subscript) {
        const after = end + subscript[0].length;
        if (stickyAt(ASSIGNMENT3, text, after)) return;
        pushEnvLiteral(source, start, subscript, stickyAt(FALLBACK2, text, after) !== void 0, references);
        return;
      }
      if (stickyAt(SUBSCRIPT_OPEN2, text, end)) {
        unresolvable.push(source.unresolvable(start, "]"));
        return;
      }
      const fetch = stickyAt(FETCH, text, end);
      if (fetch) {
        const withBlock = stickyAt(BLOCK, text, end + fetch[0].length) !== void 0;
        pushEnvLiteral(source, start, fetch, fetch[3] !== void 0 || withBlock, references);
        return;
      }
      if (stickyAt(FETCH_OPEN, text, end)) {
        unresolvable.push(source.unresolvable(start, ")"));
        return;
      }
      const presence = stickyAt(PRESENCE, text, end);
      if (presence) pushEnvLiteral(source, start, presence, true, references);
    });
  }
};

// src/references/extract-template.ts
var SYNTAX5 = { line: ["#"], block: false };
var ANCHOR6 = /(?<!\$)\$\{([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*)|(?<![\w$])\$?\.Values((?:\.\w+)+)/g;
var templateExtractor = {
  id: "template",
  extensions: [
    ".tpl",
    ".tmpl",
    ".template",
    ".yaml",
    ".yml",
    ".json",
    ".toml",
    ".conf",
    ".cfg",
    ".ini",
    ".properties",
    ".sh",
    ".bash",
    ".zsh",
    ".env",
    "dockerfile"
  ],
  needles: ["${", ".Values."],
  extract(text) {
    const references = [];
    const unresolvable = [];
    const source = new SourceText(text);
    for (const anchor of text.matchAll(ANCHOR6)) {
      const start = anchor.index;
      const helm = anchor[2];
      if (helm !== void 0) {
        references.push(source.reference(start, helm.slice(1), "dotted"));
        continue;
      }
      if (source.isCommented(start, SYNTAX5)) continue;
      const { name, optional } = placeholderName(anchor[1], text, start + anchor[0].length);
      references.push(source.reference(start, name, name.includes(".") ? "dotted" : "env", { optional }));
    }
    return { references, unresolvable };
  }
};
function placeholderName(written, text, end) {
  if (!written.includes(".") && written.includes("-")) {
    return { name: written.slice(0, written.indexOf("-")), optional: true };
  }
  const next = text[end];
  if (next === ":") return { name: written, optional: text[end + 1] !== "?" };
  return { name: written, optional: next === "-" || next === "=" || next === "+" };
}

// src/references/extract-user.ts
function compileExtractorPattern(pattern) {
  return new RegExp(pattern, "gm");
}
function userExtractor(config) {
  const pattern = compileExtractorPattern(config.pattern);
  return {
    id: config.name,
    extensions: [],
    extract(text) {
      const references = [];
      let source;
      for (const match of text.matchAll(pattern)) {
        const key = match.groups?.key;
        if (!key) continue;
        source ??= new SourceText(text);
        references.push(source.reference(match.index, key, key.includes(".") ? "dotted" : "env"));
      }
      return { references, unresolvable: [] };
    }
  };
}

// src/references/extractors.ts
var extractors = {
  javascript: javascriptExtractor,
  python: pythonExtractor,
  go: goExtractor,
  jvm: jvmExtractor,
  ruby: rubyExtractor,
  template: templateExtractor
};
function extractorSelector(userConfigs = []) {
  const builtins = Object.values(extractors);
  const endings = [...new Set(builtins.flatMap((extractor) => extractor.extensions))];
  const byEnding = /* @__PURE__ */ new Map();
  const user = userConfigs.map((config) => ({
    extractor: userExtractor(config),
    matches: config.files ? filesMatcher(config.files) : () => true
  }));
  return (file) => {
    const name = file.slice(file.lastIndexOf("/") + 1).toLowerCase();
    const lastDot = name.lastIndexOf(".");
    const cacheKey = lastDot === -1 ? name : name.slice(lastDot);
    let chosen = byEnding.get(cacheKey);
    if (!chosen) {
      const matching = endings.filter((ending) => name.endsWith(ending));
      chosen = builtins.filter((extractor) => extractor.extensions.some((ending) => matching.includes(ending)));
      byEnding.set(cacheKey, chosen);
    }
    if (user.length === 0) return chosen;
    return [...chosen, ...user.filter((entry) => entry.matches(file)).map((entry) => entry.extractor)];
  };
}
function filesMatcher(globs) {
  const anywhere = globs.filter((glob) => !glob.includes("/"));
  const rooted = globs.filter((glob) => glob.includes("/"));
  const byName = anywhere.length > 0 ? (0, import_picomatch.default)(anywhere, { dot: true }) : () => false;
  const byPath = rooted.length > 0 ? (0, import_picomatch.default)(rooted, { dot: true }) : () => false;
  return (file) => byPath(file) || byName(file.slice(file.lastIndexOf("/") + 1));
}

// src/references/scan-file.ts
import { isAscii } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
var MAX_FILE_BYTES = 2 * 1024 * 1024;
var BINARY_PROBE_BYTES = 8 * 1024;
var MINIFIED_LINE_LENGTH = 5e3;
var MINIFIED_AVERAGE_LINE_LENGTH = 500;
var MINIFIABLE = [".js", ".mjs", ".cjs", ".css"];
var scratch;
function readCappedSync(absolute) {
  scratch ??= Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
  let descriptor;
  try {
    descriptor = openSync(absolute, "r");
    let filled = 0;
    while (filled < scratch.length) {
      const read = readSync(descriptor, scratch, filled, scratch.length - filled, null);
      filled += read;
      if (read === 0 || filled < scratch.length) break;
    }
    return filled > MAX_FILE_BYTES ? "tooLarge" : scratch.subarray(0, filled);
  } catch (error) {
    return error.code === "EISDIR" ? "notFile" : "unreadable";
  } finally {
    if (descriptor !== void 0) closeSync(descriptor);
  }
}
function scanContent(file, content, extractors2) {
  if (typeof content === "string") return { file, status: content };
  if (content.length > MAX_FILE_BYTES) return { file, status: "tooLarge" };
  if (content.subarray(0, BINARY_PROBE_BYTES).includes(0)) return { file, status: "binary" };
  const references = [];
  const unresolvable = [];
  const candidates = extractors2.filter((extractor) => mayMatch(extractor, content));
  if (candidates.length > 0) {
    const text = content.toString("latin1");
    if (MINIFIABLE.some((ending) => file.endsWith(ending)) && looksMinified(text)) {
      return { file, status: "minified" };
    }
    const utf82 = isAscii(content) ? void 0 : new Utf8Positions(text);
    for (const extractor of candidates) {
      const found = extractor.extract(text);
      const { references: read, unresolvable: unknown } = utf82 ? utf82.convert(found) : found;
      references.push(...read);
      unresolvable.push(...unknown);
    }
  }
  return { file, status: "scanned", bytes: content.length, references, unresolvable };
}
var needleBytes = /* @__PURE__ */ new WeakMap();
function mayMatch(extractor, content) {
  if (!extractor.needles) return true;
  let needles = needleBytes.get(extractor);
  if (!needles) {
    needles = extractor.needles.map((needle) => Buffer.from(needle, "latin1"));
    needleBytes.set(extractor, needles);
  }
  return needles.some((needle) => content.includes(needle));
}
var NON_ASCII = /[\u0080-\u00ff]/;
var Utf8Positions = class {
  constructor(text) {
    this.text = text;
  }
  text;
  lineStarts;
  convert(found) {
    return {
      references: found.references.map((reference) => ({
        ...reference,
        name: utf8(reference.name),
        column: this.column(reference.line, reference.column)
      })),
      unresolvable: found.unresolvable.map((site) => ({
        ...site,
        snippet: utf8(site.snippet),
        column: this.column(site.line, site.column)
      }))
    };
  }
  column(line, byteColumn) {
    this.lineStarts ??= lineStartsOf(this.text);
    const start = this.lineStarts[line - 1] ?? 0;
    const before = this.text.slice(start, start + byteColumn - 1);
    return NON_ASCII.test(before) ? utf8(before).length + 1 : byteColumn;
  }
};
function utf8(latin1) {
  return NON_ASCII.test(latin1) ? Buffer.from(latin1, "latin1").toString("utf8") : latin1;
}
function looksMinified(text) {
  let lines = 0;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    if (end - start > MINIFIED_LINE_LENGTH) return true;
    lines++;
    start = end + 1;
  }
  return lines > 0 && text.length / lines > MINIFIED_AVERAGE_LINE_LENGTH;
}

// src/references/scan-worker.ts
if (parentPort) {
  const port = parentPort;
  const data = workerData;
  const select = extractorSelector(data.extractors);
  port.on("message", (request) => {
    const scans = request.files.map(
      (file) => scanContent(file, readCappedSync(`${data.configDir}/${file}`), select(file))
    );
    port.postMessage({ batch: request.batch, scans });
  });
}
