// A StrykerJS ignorer: mutants inside a logger call (`deps.log.warn(…)`, `log.info(…)`), or in an `if` that does
// nothing but log, are not tested. Log lines are for the operator reading them, not rules of the domain; every other
// string (a run's stateReason, an error message) is.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

/** `log.<level>(…)` or `<anything>.log.<level>(…)`. */
function isLogCall(node) {
  if (node.type !== 'ExpressionStatement') return false;
  const call = node.expression;
  if (call.type !== 'CallExpression' || call.callee.type !== 'MemberExpression') return false;
  const { object, property } = call.callee;
  if (property.type !== 'Identifier' || !LEVELS.has(property.name)) return false;
  if (object.type === 'Identifier') return object.name === 'log';
  return object.type === 'MemberExpression' && object.property.type === 'Identifier' && object.property.name === 'log';
}

/** `if (…) log…;` or `if (…) { log…; … }` with no else: the condition only decides whether to log. */
function isLogOnlyIf(node) {
  if (node.type !== 'IfStatement' || node.alternate) return false;
  const body = node.consequent.type === 'BlockStatement' ? node.consequent.body : [node.consequent];
  return body.length > 0 && body.every(isLogCall);
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'logCalls', {
    shouldIgnore: (path) => (isLogCall(path.node) || isLogOnlyIf(path.node) ? 'a log line: text for the operator, not a rule' : undefined),
  }),
];
