/* tests/unit/test_status_flow.c: the 督办 transition table of duban-status.
 * Every (from, to, role) triple of the 9 x 9 statuses and 3 roles is
 * checked against the rules written out here from issue 16 (independently
 * of the table in status_flow.c): who may take which edge, what needs a
 * comment or a new due date, and that everything else is FORBIDDEN (the
 * role never sets that status) or CONFLICT (not from there). The README's
 * transition table must list exactly the table's edges. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "status_flow.h"
#include "status_intake.h"

enum { A = DUBAN_STATUS_ASSIGNED, AC = DUBAN_STATUS_ACCEPTED, IP = DUBAN_STATUS_IN_PROGRESS,
       CO = DUBAN_STATUS_COMPLETED, XR = DUBAN_STATUS_EXTENSION_REQUESTED,
       XT = DUBAN_STATUS_EXTENDED, CA = DUBAN_STATUS_CANCELLED, RO = DUBAN_STATUS_REOPENED,
       CR = DUBAN_STATUS_COMPLETION_REQUESTED };

#define L STATUS_ROLE_LEAD
#define C STATUS_ROLE_COOPERATING
#define S STATUS_ROLE_SUPERVISOR

/* The rules, as the issue gives them. */
typedef struct {
    int from, to;
    unsigned roles;
    bool comment;        /* needs a comment (for every role that may take it) */
    bool coop_comment;   /* a cooperating department's progress report needs one */
    bool due;
} rule_t;

static const rule_t rules[] = {
    {A, AC, L, 0, 0, 0},
    /* work and progress reports: lead, or cooperating with a comment */
    {AC, IP, L | C, 0, 1, 0}, {IP, IP, L | C, 0, 1, 0}, {XT, IP, L | C, 0, 1, 0},
    {RO, IP, L | C, 0, 1, 0},
    /* the lead asks for more time / for completion, saying why / what was done */
    {AC, XR, L, 1, 0, 0}, {IP, XR, L, 1, 0, 0}, {XT, XR, L, 1, 0, 0}, {RO, XR, L, 1, 0, 0},
    {AC, CR, L, 1, 0, 0}, {IP, CR, L, 1, 0, 0}, {XT, CR, L, 1, 0, 0}, {RO, CR, L, 1, 0, 0},
    /* supervisors decide */
    {XR, XT, S, 0, 0, 1}, {XR, IP, S, 1, 0, 0}, {CR, CO, S, 0, 0, 0}, {CR, IP, S, 1, 0, 0},
    {A, CA, S, 1, 0, 0}, {AC, CA, S, 1, 0, 0}, {IP, CA, S, 1, 0, 0}, {CR, CA, S, 1, 0, 0},
    {XR, CA, S, 1, 0, 0}, {XT, CA, S, 1, 0, 0}, {RO, CA, S, 1, 0, 0},
    {CO, RO, S, 1, 0, 0}, {CA, RO, S, 1, 0, 0},
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

static const rule_t *rule_for(int from, int to, unsigned role)
{
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].from == from && rules[i].to == to && (rules[i].roles & role))
            return &rules[i];
    return NULL;
}

static bool role_ever_sets(unsigned role, int to)
{
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].to == to && (rules[i].roles & role))
            return true;
    return false;
}

static void test_every_triple(void)
{
    static const unsigned roles[] = {L, C, S};
    int ok = 0, forbidden = 0, conflict = 0;
    for (int from = 0; from < DUBAN_STATUS_COUNT; from++)
        for (int to = 0; to < DUBAN_STATUS_COUNT; to++)
            for (int ri = 0; ri < 3; ri++) {
                unsigned role = roles[ri], allowed = 0;
                const rule_t *r = rule_for(from, to, role);
                status_flow_result_t got = status_flow_check(
                    (duban_task_status_t)from, (duban_task_status_t)to, role, false, false,
                    &allowed, NULL);
                status_flow_result_t want;
                if (!role_ever_sets(role, to))
                    want = STATUS_FLOW_FORBIDDEN;
                else if (!r)
                    want = STATUS_FLOW_CONFLICT;
                else if (r->due)
                    want = STATUS_FLOW_NEEDS_DUE_DATE;
                else if (r->comment || (role == C && r->coop_comment))
                    want = STATUS_FLOW_NEEDS_COMMENT;
                else
                    want = STATUS_FLOW_OK;
                if (got != want)
                    fprintf(stderr, "%s -> %s as %u: got %d want %d\n",
                            duban_status_intake_statuses[from], duban_status_intake_statuses[to],
                            role, got, want);
                CHECK_INT(got, want);
                /* with what it needs, a rule's edge passes */
                if (r)
                    CHECK_INT(status_flow_check((duban_task_status_t)from,
                                                (duban_task_status_t)to, role, true, true, NULL,
                                                NULL),
                              STATUS_FLOW_OK);
                /* allowed: exactly the rules' targets from `from` for this role */
                unsigned want_allowed = 0;
                for (size_t i = 0; i < NRULES; i++)
                    if (rules[i].from == from && (rules[i].roles & role))
                        want_allowed |= 1u << rules[i].to;
                CHECK_INT(allowed, want_allowed);
                ok += want == STATUS_FLOW_OK;
                forbidden += want == STATUS_FLOW_FORBIDDEN;
                conflict += want == STATUS_FLOW_CONFLICT;
            }
    CHECK(ok > 5 && forbidden > 50 && conflict > 50);
    /* the table has exactly the rules' edges */
    size_t n;
    const status_edge_t *e = status_flow_edges(&n);
    CHECK_INT(n, NRULES);
    for (size_t i = 0; i < n; i++) {
        const rule_t *r = rule_for(e[i].from, e[i].to, e[i].roles);
        CHECK(r && r->roles == e[i].roles);
    }
}

static void test_roles_together(void)
{
    /* a department that leads and cooperates: its progress report needs no comment */
    CHECK_INT(status_flow_check(DUBAN_STATUS_IN_PROGRESS, DUBAN_STATUS_IN_PROGRESS, L | C, false,
                                false, NULL, NULL),
              STATUS_FLOW_OK);
    CHECK_INT(status_flow_check(DUBAN_STATUS_IN_PROGRESS, DUBAN_STATUS_IN_PROGRESS, C, false,
                                false, NULL, NULL),
              STATUS_FLOW_NEEDS_COMMENT);
    /* no role at all: forbidden everywhere */
    CHECK_INT(status_flow_check(DUBAN_STATUS_ASSIGNED, DUBAN_STATUS_ACCEPTED, 0, true, true,
                                NULL, NULL),
              STATUS_FLOW_FORBIDDEN);
    CHECK(status_flow_is_open(DUBAN_STATUS_COMPLETION_REQUESTED));
    CHECK(!status_flow_is_open(DUBAN_STATUS_COMPLETED));
    CHECK(!status_flow_is_open(DUBAN_STATUS_CANCELLED));
    char buf[64];
    CHECK_STR(status_flow_roles_name(L | C, buf, sizeof(buf)), "lead+cooperating");
    CHECK_STR(status_flow_roles_name(0, buf, sizeof(buf)), "none");
}

/* The README's table: rows "| FROM | TO | who | needs | meaning |" between
 * the markers; each must be an edge, and every edge a row. */
static void test_readme_table(void)
{
    FILE *f = check_open_source("README.md", "r");
    if (!f)
        return;
    char line[2048];
    bool in = false;
    size_t rows = 0, n;
    const status_edge_t *e = status_flow_edges(&n);
    bool *seen = calloc(n, sizeof(bool));
    while (fgets(line, sizeof(line), f)) {
        if (strstr(line, "<!-- transition table -->"))
            in = true;
        else if (strstr(line, "<!-- end of transition table -->"))
            in = false;
        char from[64], to[64], who[64];
        if (!in || sscanf(line, "| %63[A-Z_] | %63[A-Z_] | %63[a-z ,] |", from, to, who) != 3)
            continue;
        rows++;
        duban_task_status_t fs, ts;
        CHECK(duban_task_status_from_name(from, &fs) == DUBAN_OK);
        CHECK(duban_task_status_from_name(to, &ts) == DUBAN_OK);
        unsigned roles = (strstr(who, "lead") ? L : 0) | (strstr(who, "cooperating") ? C : 0) |
                         (strstr(who, "supervisor") ? S : 0);
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if (e[i].from == fs && e[i].to == ts && e[i].roles == roles) {
                found = true;
                seen[i] = true;
            }
        if (!found)
            fprintf(stderr, "README row not in the table: %s", line);
        CHECK(found);
    }
    fclose(f);
    CHECK_INT(rows, n);
    for (size_t i = 0; i < n; i++)
        CHECK(seen[i]);
    free(seen);
}

int main(void)
{
    test_every_triple();
    test_roles_together();
    test_readme_table();
    return CHECK_DONE();
}
