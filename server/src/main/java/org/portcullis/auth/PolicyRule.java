package org.portcullis.auth;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A parsed oslo.policy check: {@code role:admin and (project_id:%(target.secret.project_id)s or
 * rule:other)}. The same language Barbican's policy files use, so an operator's file carries over.
 */
sealed interface PolicyRule {

    /** What a check is evaluated with: the caller's credentials and the target's fields. */
    record Inputs(RequestContext ctx, Function<String, String> target, Function<String, PolicyRule> rules, int depth) {
        Inputs deeper() {
            if (depth > 32) {
                throw new IllegalStateException("policy rules refer to each other in a cycle");
            }
            return new Inputs(ctx, target, rules, depth + 1);
        }
    }

    boolean test(Inputs in);

    record Always(boolean value) implements PolicyRule {
        public boolean test(Inputs in) {
            return value;
        }
    }

    record And(List<PolicyRule> all) implements PolicyRule {
        public boolean test(Inputs in) {
            for (PolicyRule r : all) { // a loop, not a stream: every request on a secret evaluates these
                if (!r.test(in)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<PolicyRule> any) implements PolicyRule {
        public boolean test(Inputs in) {
            for (PolicyRule r : any) {
                if (r.test(in)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(PolicyRule rule) implements PolicyRule {
        public boolean test(Inputs in) {
            return !rule.test(in);
        }
    }

    /** {@code rule:NAME}: another named rule; an unknown name is false, as in oslo.policy. */
    record RuleRef(String name) implements PolicyRule {
        public boolean test(Inputs in) {
            PolicyRule rule = in.rules().apply(name);
            return rule != null && rule.test(in.deeper());
        }
    }

    /** {@code role:NAME}, case-insensitive like Keystone role names. */
    record Role(String role) implements PolicyRule {
        public boolean test(Inputs in) {
            String wanted = role.toLowerCase(Locale.ROOT);
            for (String r : in.ctx().roles()) {
                if (r.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code kind:match}: {@code match} may substitute target fields ({@code %(target.x)s}); a
     * missing field makes the check false. {@code kind} is a quoted literal ({@code 'read'}),
     * {@code True}/{@code False}, or a credential: project_id, user_id (also {@code user}),
     * system_scope.
     */
    record Generic(String kind, String match) implements PolicyRule {
        public boolean test(Inputs in) {
            String value = substitute(match, in.target());
            if (value == null) {
                return false;
            }
            String literal = literal(kind);
            if (literal != null) {
                return literal.equals(value);
            }
            String credential = switch (kind) {
                case "project_id", "tenant", "tenant_id" -> String.valueOf(in.ctx().projectId());
                case "user_id", "user" -> String.valueOf(in.ctx().userId()); // Python's str(None), as oslo compares
                case "system_scope" -> String.valueOf(in.ctx().systemScope());
                default -> null;
            };
            return credential != null && credential.equals(value);
        }

        private static String literal(String kind) {
            if (kind.length() >= 2 && (kind.startsWith("'") && kind.endsWith("'") || kind.startsWith("\"") && kind.endsWith("\""))) {
                return kind.substring(1, kind.length() - 1);
            }
            if (kind.equals("True") || kind.equals("False")) {
                return kind;
            }
            return null;
        }

        static String substitute(String template, Function<String, String> target) {
            int first = template.indexOf("%(");
            if (first < 0) {
                return template;
            }
            // The usual check is one whole field, %(target.secret.project_id)s: its value as it is.
            if (first == 0 && template.indexOf(")s") == template.length() - 2) {
                return target.apply(template.substring(2, template.length() - 2));
            }
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < template.length()) {
                int start = template.indexOf("%(", i);
                if (start < 0) {
                    out.append(template, i, template.length());
                    break;
                }
                int end = template.indexOf(")s", start);
                if (end < 0) {
                    return null;
                }
                out.append(template, i, start);
                String value = target.apply(template.substring(start + 2, end));
                if (value == null) {
                    return null;
                }
                out.append(value);
                i = end + 2;
            }
            return out.toString();
        }
    }
}
