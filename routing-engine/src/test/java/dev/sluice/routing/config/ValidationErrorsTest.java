package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per validation message of the loader: each broken file gives exactly that error, at that
 * line and column. Cases edit one line of a valid base policy (line numbers are the base's).
 */
class ValidationErrorsTest {
  private static final String BASE =
      """
      routing: { time_zone: UTC }
      destinations:
        gmail: { domains: [gmail.com] }
      pools:
        p: { members: [ { name: m } ] }
      tenants:
        t: { pools: [p] }
      rules:
        - { name: r, match: { message_type: x }, route: { pool: p } }
        - { name: all, route: { pool: p } }
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        // routing:
        error(
            1,
            "routing: { route_header: 'X Route' }",
            "1:26: route_header: 'X Route' is not a header name"),
        error(
            1,
            "routing: { default_priority: 11 }",
            "1:30: default_priority must be between 1 and 10, not 11"),
        error(
            1,
            "routing: { time_zone: Moon }",
            "1:23: time_zone: 'Moon' is not a time zone (e.g. Europe/Paris, UTC)"),
        error(
            1,
            "routing: { strip_routing_headers: maybe }",
            "1:35: strip_routing_headers must be true or false, not 'maybe'"),
        error(1, "routing: [a]", "1:10: routing must be a mapping (key: value)"),
        // destinations:
        error(
            3,
            "  gmail: { domains: [gmail..com] }",
            "3:22: destination 'gmail': 'gmail..com' is not a domain or *.domain wildcard"),
        error(
            3,
            "  gmail: { mx_suffixes: ['google com'] }",
            "3:26: destination 'gmail': 'google com' is not an MX host suffix such as .google.com"),
        error(
            3,
            "  gmail: { domains: [gmail.com], mx_suffixes: [.google.com] }\n  google: { mx_suffixes: [GOOGLE.com.] }",
            "4:27: destination 'google': MX suffix '.google.com' already belongs to destination 'gmail'"),
        error(
            3,
            "  gmail: { connections: 20 }",
            "3:3: destination 'gmail' needs 'domains' or 'mx_suffixes' to recognise it"),
        error(
            3,
            "  gmail: { domains: [gmail.com], connections: 0 }",
            "3:47: connections of destination 'gmail' must be between 1 and 10000, not 0"),
        error(
            3,
            "  gmail: { domains: [gmail.com], rate: fast }",
            "3:40: rate of destination 'gmail': 'fast' is not a rate (expected COUNT/PERIOD such as 500/min or 10k/day)"),
        error(
            3,
            "  'g mail': { domains: [gmail.com] }",
            "3:3: destination name 'g mail' must use letters, digits, '.', '_' and '-' (64 at most)"),
        // pools: and members
        error(5, "  p: { members: [] }", "5:17: pool 'p' has no members"),
        error(
            5, "  p: { members: [ { weight: 2 } ] }", "5:19: a member of pool 'p' needs a 'name'"),
        error(
            5,
            "  p: { members: [ { name: 'm 1' } ] }",
            "5:27: member 'm 1' of pool 'p': names use letters, digits, '.', '_' and '-'"),
        error(
            5,
            "  p: { members: [ { name: m } ], stickiness: always }",
            "5:46: stickiness of pool 'p' must be one of none, recipient_domain, recipient, not 'always'"),
        error(
            5,
            "  p: { members: [ { name: m, relay: { port: 25 } } ] }",
            "5:37: relay of member 'm' of pool 'p' needs a 'host'"),
        error(
            5,
            "  p: { members: [ { name: m, relay: { host: h.example, auth: { password_env: X } } } ] }",
            "5:62: auth of relay of member 'm' of pool 'p' needs a 'username'"),
        error(
            5,
            "  p: { members: [ { name: m, limits: { per_hour: 0 } } ] }",
            "5:50: limits of member 'm' of pool 'p': a quota must be at least 1"),
        error(
            5,
            "  p: { members: [ { name: m, limits: { connections: 0 } } ] }",
            "5:53: connections of limits of member 'm' of pool 'p' must be between 1 and 10000, not 0"),
        error(
            5,
            "  p: { members: [ { name: m, warmup: { schedule: [100], start: 100/day } } ] }",
            "5:38: warmup of member 'm' of pool 'p': use either 'schedule' (a table of daily caps) or 'start' and 'growth', not both"),
        error(
            5,
            "  p: { members: [ { name: m, warmup: { schedule: [] } } ] }",
            "5:50: warmup of member 'm' of pool 'p': the schedule needs at least one daily cap"),
        error(
            5,
            "  p: { members: [ { name: m, warmup: { schedule: [100, 0] } } ] }",
            "5:50: warmup of member 'm' of pool 'p': a daily cap must be at least 1"),
        error(
            5,
            "  p: { members: [ { name: m, warmup: { start: 100/day } } ] }",
            "5:38: warmup of member 'm' of pool 'p' needs 'start' (e.g. 100/day) and 'growth' (e.g. 15%), or a 'schedule'"),
        error(
            5,
            "  p: { members: [ { name: m, warmup: { start: 100/day, growth: 0% } } ] }",
            "5:64: growth of warmup of member 'm' of pool 'p' must be above 0%"),
        error(
            5,
            "  p: { members: [ { name: m, warmup: { start: 100/day, growth: 1001% } } ] }",
            "5:64: growth of warmup of member 'm' of pool 'p' must be at most 1000% (eleven times the volume each day)"),
        error(
            5,
            "  p: { members: [ { name: m, warmup: { start: 100/day, growth: '1"
                + "0".repeat(320)
                + "%' } } ] }",
            "5:64: growth of warmup of member 'm' of pool 'p' must be at most 1000% (eleven times the volume each day)"),
        error(
            5,
            "  p: { members: [ { name: m, tenants: [nobody] } ] }",
            "5:40: tenants of member 'm' of pool 'p': tenant 'nobody' is not defined"),
        error(
            5,
            "  p: { members: [ { name: m, weight: [1, 2] } ] }",
            "5:38: weight of member 'm' of pool 'p' must be a single value, not a list"),
        error(
            7,
            "  't!': { pools: [p] }",
            "7:3: tenant name 't!' must use letters, digits, '.', '_' and '-' (64 at most)"),
        error(
            5,
            "  p: { members: [ { name: m, warmup: { start: 100/day, growth: 5%, max: 50 } } ] }",
            "5:73: max of warmup of member 'm' of pool 'p' is below its start"),
        error(
            5,
            "  p: { members: [ { name: m, source_ip: 192.0.2.1 }, { name: n, source_ip: 192.0.2.1 } ] }",
            "5:76: member 'n' of pool 'p': source_ip 192.0.2.1 is already member 'm'; reuse that member by name so both pools share its limits"),
        // tenants:
        error(
            7,
            "  t: { pools: [p], networks: [10.0.0.0/40] }",
            "7:31: networks of tenant 't': '10.0.0.0/40' has a bad prefix length (0 to 32 expected)"),
        error(
            7,
            "  t: { sender_domains: ['@acme'] }",
            "7:25: sender_domains of tenant 't': '@acme' is not a domain or *.domain wildcard"),
        error(
            7,
            "  t: { may_steer: sometimes }",
            "7:19: may_steer of tenant 't' must be true or false, not 'sometimes'"),
        error(
            7,
            "  t: { users: [ { username: app, password: hunter2 } ] }",
            "7:34: a user of tenant 't': a plain password is not accepted; store password_hash (make one with 'sluice passwd')"),
        error(
            7,
            "  t: { users: [ { username: app, password_hash: md5-abc } ] }",
            "7:49: password_hash of a user of tenant 't' is not a bcrypt ($2b$…) or argon2id ($argon2id$…, at most m=262144,t=100,p=255) hash; make one with 'sluice passwd'"),
        error(
            7,
            "  t: { users: [ { username: app, password_hash: '$argon2id$v=19$m=4194304,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g' } ] }",
            "7:49: password_hash of a user of tenant 't' is not a bcrypt ($2b$…) or argon2id ($argon2id$…, at most m=262144,t=100,p=255) hash; make one with 'sluice passwd'"),
        error(
            7,
            "  t: { users: [ { username: app } ] }",
            "7:17: a user of tenant 't' needs 'username' and 'password_hash'"),
        error(
            7,
            "  t: { restrict_senders: true }",
            "7:26: tenant 't': restrict_senders needs sender_domains to allow"),
        // rules:
        error(
            9,
            "  - { match: { message_type: x }, route: { pool: p } }",
            "9:5: rule #1 needs a 'name' (it appears in traces, logs and metrics)"),
        error(
            9,
            "  - { name: 'r 1', match: { message_type: x }, route: { pool: p } }",
            "9:13: rule 'r 1': names use letters, digits, '.', '_' and '-'"),
        error(
            9,
            "  - { name: r, match: { message_type: x } }",
            "9:5: rule 'r' needs a 'route' (at least 'pool')"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { priority: 1 } }",
            "9:51: route of rule 'r' needs a 'pool'"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: [p, p2] } }",
            "9:63: pool of route of rule 'r': pool 'p2' is not defined (did you mean 'p'?)"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: p, priority: 0 } }",
            "9:72: priority of route of rule 'r' must be between 1 and 10, not 0"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: p, dkim: always } }",
            "9:68: dkim of route of rule 'r' must be one of required, optional, off, not 'always'"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: p, on_hard_bounce: ignore } }",
            "9:78: on_hard_bounce of route of rule 'r' must be one of bounce, retry, not 'ignore'"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: p, fallback: [q] } }",
            "9:73: fallback of route of rule 'r': pool 'q' is not defined (did you mean 'p'?)"),
        error(
            9,
            "  - { name: r, match: {}, route: { pool: p } }",
            "9:23: match of rule 'r' has no condition; leave 'match' out for a catch-all"),
        error(
            9,
            "  - { name: r, match: [x], route: { pool: p } }",
            "9:23: match of rule 'r' must be a mapping (key: value)"),
        error(
            9,
            "  - { name: r, match: { message_type: [] }, route: { pool: p } }",
            "9:39: message_type in rule 'r' is empty"),
        error(
            9,
            "  - { name: r, match: { recipient: '/a(/' }, route: { pool: p } }",
            "9:36: recipient in rule 'r': bad regular expression: Unclosed group"),
        error(
            9,
            "  - { name: r, match: { recipient: ['*@a.example', ''] }, route: { pool: p } }",
            "9:52: recipient in rule 'r': the glob is empty; write '*' to match any value"),
        error(
            9,
            "  - { name: r, match: { header: { name: X-A, glob: '' } }, route: { pool: p } }",
            "9:52: header in rule 'r': the glob is empty; write '*' to match any value"),
        error(
            9,
            "  - { name: r, match: { header: { equals: x } }, route: { pool: p } }",
            "9:33: header in rule 'r' needs 'name' (the header name)"),
        error(
            9,
            "  - { name: r, match: { header: { name: X-A, present: false } }, route: { pool: p } }",
            "9:55: header in rule 'r': use 'not' to match an absent header"),
        error(
            9,
            "  - { name: r, match: { time: { zone: UTC } }, route: { pool: p } }",
            "9:31: time in rule 'r' needs 'days', 'hours' or both"),
        error(
            9,
            "  - { name: r, match: { time: { days: [] } }, route: { pool: p } }",
            "9:39: days of time in rule 'r' lists no day"),
        error(
            9,
            "  - { name: r, match: { any: [] }, route: { pool: p } }",
            "9:30: any in rule 'r' is empty"),
        error(
            9,
            "  - { name: r, match: { not: { destination: yahoo } }, route: { pool: p } }",
            "9:45: destination in not of rule 'r': destination 'yahoo' is not defined"),
        error(
            9,
            "  - { name: r, match: { sender_domain: 'a b' }, route: { pool: p } }",
            "9:40: sender_domain in rule 'r': 'a b' is not a domain or *.domain wildcard"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: p }, extra: 1 }",
            "9:64: unknown key 'extra' in rule 'r'"),
        error(
            9,
            "  - { name: r, <<: 5, match: { message_type: x }, route: { pool: p } }",
            "9:20: a merge key (<<) in rule 'r' must refer to a mapping"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: p } }\n  - { name: r2, match: { recipient_domain: [] }, route: { pool: p } }",
            "10:44: recipient_domain in rule 'r2' is empty"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: [] } }",
            "9:59: pool of route of rule 'r' is empty: name the pool to deliver through"),
        error(
            9,
            "  - { name: r, match: { header: [] }, route: { pool: p } }",
            "9:33: header in rule 'r' is empty"),
        error(
            9,
            "  - { name: r, match: { header: { name: 'X Bad:', present: true } }, route: { pool: p } }",
            "9:41: header in rule 'r': 'X Bad:' is not a header name"),
        // traffic control: traffic:, destination responses, relay probes, tenant and rule rates
        error(
            1,
            "traffic: { recipient_rate: fast }",
            "1:28: recipient_rate of traffic: 'fast' is not a rate (expected COUNT/PERIOD such as 5/hour, or off)"),
        error(
            1,
            "traffic: { burst_window: 0s }",
            "1:26: burst_window of traffic: '0s' is zero; a duration must be positive"),
        error(
            1,
            "traffic: { burst_window: 20000w }",
            "1:26: burst_window of traffic: '20000w' is too long; a duration must be at most 365d"),
        error(
            1,
            "traffic: { health: { window: 5ms } }",
            "1:30: window of traffic.health must be at least 1s, not 5ms"),
        error(
            1,
            "traffic: { reputation: { window: 20ms } }",
            "1:34: window of traffic.reputation must be at least 1s, not 20ms"),
        error(
            1,
            "traffic: { helth: {} }",
            "1:12: unknown key 'helth' in traffic (did you mean 'health'?)"),
        error(1, "traffic: [a]", "1:10: traffic must be a mapping (key: value)"),
        error(
            1,
            "traffic: { health: { degraded_above: 0% } }",
            "1:38: degraded_above of traffic.health must be above 0% and at most 100%, not 0%"),
        error(
            1,
            "traffic: { health: { degraded_weight: 150% } }",
            "1:39: degraded_weight of traffic.health must be above 0% and at most 100%, not 150%"),
        error(
            1,
            "traffic: { health: { recheck: [] } }",
            "1:31: recheck of traffic.health needs at least one interval (e.g. [1m, 5m, 15m, 30m, 1h, 4h])"),
        error(
            1,
            "traffic: { health: { recheck: [1m, soon] } }",
            "1:36: recheck of traffic.health: 'soon' is not a duration (expected e.g. 30s, 5m, 4h, 1h30m or 5d)"),
        error(
            1,
            "traffic: { health: { min_attempts: 0 } }",
            "1:36: min_attempts of traffic.health must be between 1 and 1000000, not 0"),
        error(
            1,
            "traffic: { health: { probe_failures: 0 } }",
            "1:38: probe_failures of traffic.health must be between 1 and 1000000, not 0"),
        error(
            1,
            "traffic: { health: { ramp: 30 } }",
            "1:28: ramp of traffic.health: '30' is not a duration (expected e.g. 30s, 5m, 4h, 1h30m or 5d)"),
        error(
            1,
            "traffic: { health: { ramp_start: 0% } }",
            "1:34: ramp_start of traffic.health must be above 0% and at most 100%, not 0%"),
        error(
            1,
            "traffic: { health: { windw: 5m } }",
            "1:22: unknown key 'windw' in traffic.health (did you mean 'window'?)"),
        error(
            1,
            "traffic: { adaptive: { decrease: 50 } }",
            "1:34: decrease of traffic.adaptive: '50' is not a percentage (expected e.g. 15%)"),
        error(
            1,
            "traffic: { adaptive: { floor: 0% } }",
            "1:31: floor of traffic.adaptive must be above 0% and at most 100%, not 0%"),
        error(
            1,
            "traffic: { adaptive: { increase: 200% } }",
            "1:34: increase of traffic.adaptive must be above 0% and at most 100%, not 200%"),
        error(
            1,
            "traffic: { adaptive: { cooldown: -1s } }",
            "1:34: cooldown of traffic.adaptive: '-1s' is not a duration (expected e.g. 30s, 5m, 4h, 1h30m or 5d)"),
        error(
            1,
            "traffic: { warmup: { pause_bounce_above: 101% } }",
            "1:42: pause_bounce_above of traffic.warmup must be above 0% and at most 100%, not 101%"),
        error(
            1,
            "traffic: { warmup: { min_attempts: 0 } }",
            "1:36: min_attempts of traffic.warmup must be between 1 and 1000000, not 0"),
        error(
            1,
            "traffic: { reputation: { bounce_good: 10%, bounce_bad: 5% } }",
            "1:56: bounce_bad of traffic.reputation (5%) must be above bounce_good (10%)"),
        error(
            1,
            "traffic: { reputation: { complaint_good: 1% } }",
            "1:42: complaint_bad of traffic.reputation (0.5%) must be above complaint_good (1%)"),
        error(
            1,
            "traffic: { reputation: { bounce_good: 101% } }",
            "1:39: bounce_good of traffic.reputation must be between 0% and 100%, not 101%"),
        error(
            1,
            "traffic: { reputation: { min_weight: 0% } }",
            "1:38: min_weight of traffic.reputation must be above 0% and at most 100%, not 0%"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { action: suspend, duration: 1h } ] }",
            "3:47: response #1 of destination 'gmail' needs 'match' (a regular expression found in the reply)"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: 'TS0[', action: suspend, duration: 1h } ] }",
            "3:56: match of response #1 of destination 'gmail': bad regular expression: Unclosed character class"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: '', action: suspend, duration: 1h } ] }",
            "3:56: match of response #1 of destination 'gmail' is empty: it would match every reply"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, duration: 1h } ] }",
            "3:47: response 'x' of destination 'gmail' needs an 'action' (suspend, suspend_tenant, throttle or bounce)"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, action: pause, duration: 1h } ] }",
            "3:67: action of response 'x' of destination 'gmail' must be one of suspend, suspend_tenant, throttle, bounce, not 'pause'"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, action: suspend, factor: 50%, duration: 1h } ] }",
            "3:76: factor of response 'x' of destination 'gmail' applies only to action: throttle"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, action: throttle, factor: 100%, duration: 1h } ] }",
            "3:85: factor of response 'x' of destination 'gmail' (the share of the rate kept) must be above 0% and below 100%, not 100%"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, action: suspend_tenant } ] }",
            "3:47: response 'x' of destination 'gmail' needs a 'duration' (how long its action holds, e.g. 1h)"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, action: bounce, duration: 1h } ] }",
            "3:75: duration of response 'x' of destination 'gmail': a bounce acts on the one reply and holds nothing"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, action: suspend, duration: 0s } ] }",
            "3:86: duration of response 'x' of destination 'gmail': '0s' is zero; a duration must be positive"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, trigger: soon, action: suspend, duration: 1h } ] }",
            "3:68: trigger of response 'x' of destination 'gmail': 'soon' is not a trigger (expected COUNT/PERIOD such as 3/5m, or immediate)"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, trigger: 20k/5m, action: suspend, duration: 1h } ] }",
            "3:68: trigger of response 'x' of destination 'gmail': a trigger counts at most 10000 matches, not 20000"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, action: bounce }, { match: x, action: bounce } ] }",
            "3:77: responses of destination 'gmail' name 'x' twice; give each a distinct 'name'"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { name: 'a b', match: x, action: bounce } ] }",
            "3:55: response 'a b' of destination 'gmail': names use letters, digits, '.', '_' and '-'"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ { match: x, action: bounce, nmae: y } ] }",
            "3:75: unknown key 'nmae' in response #1 of destination 'gmail' (did you mean 'name'?)"),
        error(
            3,
            "  gmail: { domains: [gmail.com], responses: [ bounce ] }",
            "3:47: response #1 of destination 'gmail' must be a mapping (key: value)"),
        error(
            5,
            "  p: { members: [ { name: m, relay: { host: h.example, probe: 500ms } } ] }",
            "5:63: probe of relay of member 'm' of pool 'p' must be at least 1s"),
        error(
            5,
            "  p: { members: [ { name: m, relay: { host: h.example, probe: often } } ] }",
            "5:63: probe of relay of member 'm' of pool 'p': 'often' is not a duration (expected e.g. 30s, 5m, 4h, 1h30m or 5d)"),
        error(
            5,
            "  p: { members: [ { name: m, limits: { rate: 1/20000w } } ] }",
            "5:46: rate of limits of member 'm' of pool 'p': '20000w' is too long; a duration must be at most 365d"),
        error(
            7,
            "  t: { pools: [p], rate: lots }",
            "7:26: rate of tenant 't': 'lots' is not a rate (expected COUNT/PERIOD such as 500/min or 10k/day)"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: p, recipient_rate: lots } }",
            "9:78: recipient_rate of route of rule 'r': 'lots' is not a rate (expected COUNT/PERIOD such as 5/hour, or off)"),
        error(
            9,
            "  - { name: r, match: { message_type: x }, route: { pool: p, on_recipient_limit: drop } }",
            "9:82: on_recipient_limit of route of rule 'r' must be one of wait, reject, not 'drop'"),

        // the document itself
        Arguments.of(
            "[pools, rules]", "routes.yaml:1:1: routes.yaml must be a mapping (key: value)"),
        error(1, "routing: { ? [a] : b }", "1:14: keys in routing must be plain names"));
  }

  private static Arguments error(int line, String replacement, String expected) {
    String[] lines = BASE.split("\n", -1);
    lines[line - 1] = replacement;
    return Arguments.of(String.join("\n", lines), "routes.yaml:" + expected);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("cases")
  void reportsExactlyThisError(String yaml, String expected) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> RoutesLoader.load("routes.yaml", yaml));
    assertThat(e).as("the file should be rejected:\n%s", yaml).isNotNull();
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(expected);
  }
}
