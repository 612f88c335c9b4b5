/* common/ingest/gwdoc_prose.c: who a sentence of running prose names as
 * responsible when no label does (X牵头，Y配合… / 由X负责… / 王光玲牵头，
 * 九重镇落实 / X要… as a sentence's subject / X负责… role statements), and
 * where such a sentence's units end.
 * Owns:   the gw_ prose clause readers that gwdoc.c (an item's text) and
 *         gwdoc_unmarked.c (unnumbered paragraphs) ask. */
#include "gwdoc_int.h"

/* Where the units after 会同 end: before 等有关部门/等部门/等单位, 有关部门 or
 * the verb of the work ("会同市药品监督局等有关部门执行…"); 0 when none of
 * them follows (no list of units to read). */
static size_t with_partners_end(const char *s, size_t len)
{
    static const char *const ends[] = {"等有关部门", "等相关部门", "等部门", "等单位", "有关部门",
                                       "相关部门", "执行", "开展", "制定", "做好", "共同", "研究",
                                       "组织", "负责", NULL};
    size_t best = SIZE_MAX;
    for (size_t k = 0; ends[k]; k++) {
        const char *f = duban_find(s, len, ends[k], strlen(ends[k]));
        if (f && (size_t)(f - s) < best)
            best = (size_t)(f - s);
    }
    return best == SIZE_MAX ? 0 : best; /* 0 also for "会同有关部门": no unit named */
}

/* Units that lead "with" others: "国土资源部会同农业部" (由国土资源部会同农业部
 * 等部门负责落实): those before 会同 lead, those after it cooperate; no 会同,
 * all lead. */
void gw_add_lead_with_partners(const char *u, size_t n, clause_t *c)
{
    const char *with = duban_find(u, n, "会同", 6);
    if (!with || with == u || !gw_unit_like_end(u, (size_t)(with - u))) {
        gw_add_units(u, n, &c->lead);
        return;
    }
    gw_add_units(u, (size_t)(with - u), &c->lead);
    if (u + n > with + 6)
        gw_add_units(with + 6, (size_t)(u + n - with - 6), &c->coop);
}

/* A sentence that opens with "X牵头，Y配合…" or "由X负责，…" without
 * brackets (区委教育工作领导小组牵头，组织相关部门…): the leading segments
 * that end in a verb give the units, up to the first one that does not. */
bool gw_prose_clause(const char *s, size_t len, clause_t *c)
{
    memset(c, 0, sizeof(*c));
    if (!duban_find(s, len, "牵头", 6) && !duban_find(s, len, "负责", 6) &&
        !duban_find(s, len, "负总责", 9))
        return false;
    for (size_t st = 0; st < len;) {
        size_t e = st;
        while (e < len && s[e] != '\n' && !duban_starts(s + e, len - e, "。"))
            e += ((unsigned char)s[e] >= 0xE0) ? 3 : 1;
        size_t a = st;
        bool any = false;
        while (a < e) {
            size_t b = a;
            while (b < e && !duban_starts(s + b, e - b, "，") && !duban_starts(s + b, e - b, "；"))
                b += ((unsigned char)s[b] >= 0xE0) ? 3 : 1;
            size_t x = a, v;
            if (!any && a == st && b < e && duban_starts(s + b + 3, e - b - 3, "由")) {
                a = b + 3; /* "关于…安置问题，由县人社局、民政局负责，…", "《…实施意见》，
                            * 由县人社局负责，…": the topic, then who */
                continue;
            }
            if (duban_starts(s + x, b - x, "由"))
                x += 3;
            else if (!any) { /* "…试验区事宜由杨志武副市长负责": the subject after 由 */
                const char *by = NULL;
                for (const char *q = s + x; (q = duban_find(q, (size_t)(s + b - q), "由", 3));
                     q += 3)
                    by = q;
                if (by && s + b - by <= 3 * 16)
                    x = (size_t)(by - s) + 3;
            }
            if (any && c->lead.count && duban_starts(s + x, b - x, "会同")) {
                /* "由市卫生局牵头，会同市药品监督局等有关部门执行…": the partners */
                size_t ue = with_partners_end(s + x + 6, b - x - 6);
                if (ue && ue <= 3 * 40 && gw_unit_like_end(s + x + 6, ue))
                    gw_add_units(s + x + 6, ue, &c->coop);
                break;
            }
            if (b - x > 90)
                break;
            if (!any && (v = gw_verb_suffix(s + x, b - x, LEAD_VERBS)) &&
                gw_person_title_end(s + x, b - x - v)) {
                a = b < e ? b + 3 : e; /* "由杨志武副市长负责": a person, not a unit */
                continue;
            }
            if ((v = gw_verb_suffix(s + x, b - x, LEAD_VERBS)) &&
                gw_unit_like_end(s + x, gw_trim_list_end(s, x, b - v) - x)) {
                gw_add_lead_with_partners(s + x, gw_trim_list_end(s, x, b - v) - x, c);
            } else if (any && (v = gw_verb_suffix(s + x, b - x, COOP_VERBS)) &&
                       gw_unit_like_end(s + x, gw_trim_list_end(s, x, b - v) - x)) {
                gw_add_units(s + x, gw_trim_list_end(s, x, b - v) - x, &c->coop);
            } else {
                break;
            }
            any = true;
            a = b < e ? b + 3 : e;
        }
        if (c->lead.count) {
            if (!gw_is_national(c->lead.items[0]))
                return true;
            gw_clause_free(c);
            return false;
        }
        gw_clause_free(c);
        memset(c, 0, sizeof(*c));
        st = e + (e < len ? (s[e] == '\n' ? 1 : 3) : 0);
    }
    return false;
}

/* Whether c names a local lead (then marked as labelled); otherwise c is
 * emptied for the next try. */
bool gw_keep_local_lead(clause_t *c)
{
    if (c->lead.count && !gw_is_national(c->lead.items[0])) {
        c->has_lead_label = true;
        return true;
    }
    gw_clause_free(c);
    memset(c, 0, sizeof(*c));
    return false;
}

/* s[0..at) ends in a measure's label at the start of its line
 * ("整改措施：由县住建局督促商户更换。" under a problem an inspection found). */
static bool measure_label_before(const char *s, size_t at)
{
    static const char *const labels[] = {"整改措施：", "整改要求：", "处理意见：", "处置措施：",
                                         NULL};
    for (size_t k = 0; labels[k]; k++) {
        size_t n = strlen(labels[k]);
        if (at >= n && duban_ends(s, at, labels[k]) && (at == n || s[at - n - 1] == '\n'))
            return true;
    }
    return false;
}

/* "…复杂问题，由区城管办牵头依据便于管理的原则进行划分": a clause that
 * opens with 由, anywhere in the item, names the unit before its 牵头 (at
 * most 16 characters) as the lead. */
bool gw_by_unit_lead(const char *s, size_t len, clause_t *c)
{
    memset(c, 0, sizeof(*c));
    for (const char *p = s; (p = duban_find(p, (size_t)(s + len - p), "由", 3)) != NULL; p += 3) {
        size_t at = (size_t)(p - s);
        static const char *const adverbs[] = {"具体", "统一", "主要", "并", NULL};
        for (size_t k = 0; adverbs[k]; k++) /* "…，具体由市发改委牵头负责" */
            if (duban_ends(s, at, adverbs[k]) && at > strlen(adverbs[k])) {
                at -= strlen(adverbs[k]);
                break;
            }
        bool measure = measure_label_before(s, at);
        if (!(at == 0 || duban_ends(s, at, "，") || duban_ends(s, at, "。") ||
              duban_ends(s, at, "》") || /* "《…统计报表制度》由…民委分别填报" */
              duban_ends(s, at, "；") || s[at - 1] == '\n' || measure))
            continue;
        const char *u = p + 3;
        static const char *const roles[] = {"包片单位", "责任单位", "属地单位", NULL};
        size_t rn = gw_match_any(u, (size_t)(s + len - u), roles);
        if (measure && rn) /* "由包片单位县民政局督促…": the unit after its role */
            u += rn;
        size_t lim = (size_t)(s + len - u) < 3 * 60 ? (size_t)(s + len - u) : 3 * 60;
        /* the verb after the units: 牵头, 督促, or a report they file (填报,
         * 布置…填报), 分别 before it. Not 负责 or 统一: "由办公室负责…", "由…统一
         * 调度" in a requirement names no task's unit; a measure's 负责 does */
        static const char *const verbs[] = {"牵头", "分别", "填报", "布置", "督促", "会同", NULL};
        static const char *const measure_verbs[] = {"牵头", "督促", "负责", "会同", NULL};
        const char *const *vs = measure ? measure_verbs : verbs;
        const char *qt = NULL;
        for (size_t k = 0; vs[k]; k++) {
            const char *f = duban_find(u, lim, vs[k], strlen(vs[k]));
            if (f && (!qt || f < qt))
                qt = f;
        }
        if (!qt || qt == u || duban_find(u, (size_t)(qt - u), "，", 3) ||
            !gw_unit_like_end(u, (size_t)(qt - u)) || gw_person_title_end(u, (size_t)(qt - u)))
            continue;
        gw_add_units(u, (size_t)(qt - u), &c->lead);
        if (duban_starts(qt, (size_t)(s + len - qt), "会同")) {
            /* "由发展改革委会同中央农办、农业部…等部门研究提出…": the partners */
            size_t rest = (size_t)(s + len - qt - 6), ue = with_partners_end(qt + 6, rest);
            if (ue && ue <= 3 * 60 && gw_unit_like_end(qt + 6, ue))
                gw_add_units(qt + 6, ue, &c->coop);
        }
        if (gw_keep_local_lead(c))
            return true;
    }
    return false;
}

/* "九重区域环境整治由王光玲牵头，九重镇落实": a person (named bare) leads,
 * the unit after the comma carries it out (a meeting's decisions, dev
 * ar08). That unit is the lead: a person is never one. */
bool gw_person_led_unit(const char *s, size_t len, clause_t *c)
{
    memset(c, 0, sizeof(*c));
    for (const char *p = s; (p = duban_find(p, (size_t)(s + len - p), "牵头，", 9)) != NULL; p += 9) {
        size_t at = (size_t)(p - s), name = 0;
        for (size_t n = 6; n <= 9 && !name; n += 3)
            if (at >= n + 3 && duban_at(s, len, at - n - 3, "由") && gw_person_name(p - n, n))
                name = n;
        if (!name)
            continue;
        const char *u = p + 9;
        size_t rest = (size_t)(s + len - u), lim = rest < 3 * 20 ? rest : 3 * 20;
        static const char *const verbs[] = {"具体落实", "负责落实", "落实", "负责", NULL};
        for (size_t i = 0; i < lim; i += (unsigned char)u[i] >= 0xE0 ? 3 : 1) {
            if (duban_at(u, rest, i, "，") || duban_at(u, rest, i, "。") || duban_at(u, rest, i, "；"))
                break;
            if (!gw_match_any(u + i, rest - i, verbs))
                continue;
            if (gw_unit_like_end(u, i) && !gw_person_title_end(u, i)) {
                gw_add_units(u, i, &c->lead);
                if (gw_keep_local_lead(c))
                    return true;
            }
            break;
        }
    }
    return false;
}

/* Where a unit's name starts in s[a..b), a heading run into it: at the
 * first jurisdiction (省 市 州 县 区 旗 镇 乡), or a when none. */
static size_t jurisdiction_start(const char *s, size_t a, size_t b)
{
    static const char *const jur[] = {"省", "市", "州", "县", "区", "旗", "镇", "乡", NULL};
    size_t best = b;
    for (size_t k = 0; jur[k]; k++) {
        const char *f = duban_find(s + a, b - a, jur[k], 3);
        if (f && (size_t)(f - s) < best)
            best = (size_t)(f - s);
    }
    return best < b ? best : a;
}

/* Where the clause at s[a] ends: at its ，。 or ；, or at len. */
static size_t clause_end(const char *s, size_t len, size_t a)
{
    while (a < len && !duban_at(s, len, a, "，") && !duban_at(s, len, a, "。") &&
           !duban_at(s, len, a, "；"))
        a += (unsigned char)s[a] >= 0xE0 ? 3 : 1;
    return a;
}

/* "各乡（镇）人民政府、街道办事处是农作物秸秆禁烧工作的责任主体，…" (dev
 * bk01): the units before 是, when the clause ends with 责任主体, lead. */
static bool subject_is_owner(const char *s, size_t len, clause_t *c)
{
    memset(c, 0, sizeof(*c));
    for (size_t a = 0; a < len;) {
        size_t b = clause_end(s, len, a);
        const char *shi = duban_find(s + a, b - a, "是", 3);
        if (shi && shi > s + a && duban_ends(s, b, "责任主体") && s + b - shi <= 3 * 30 &&
            shi - (s + a) <= 3 * 30 && gw_unit_like_end(s + a, (size_t)(shi - (s + a))))
            gw_add_units(s + a, (size_t)(shi - (s + a)), &c->lead);
        a = b < len ? b + 3 : len;
    }
    return gw_keep_local_lead(c);
}

/* Roles stated in prose: "州交通运输局为该议案办理工作的牵头责任单位，…。
 * 州发改委、…、恩施市政府为协办单位": the units before 为, the role in the
 * …单位 after it (牵头/主办/主责/责任: lead; 协办/配合/协同/参与: cooperating).
 * True when a lead was stated. */
bool gw_role_statement(const char *s, size_t len, clause_t *c)
{
    static const char *const lead_roles[] = {"牵头", "主办", "主责", "责任", NULL};
    static const char *const coop_roles[] = {"协办", "配合", "协同", "参与", NULL};
    memset(c, 0, sizeof(*c));
    if (duban_find(s, len, "是", 3) && duban_find(s, len, "责任主体", 12) && subject_is_owner(s, len, c))
        return true;
    if ((!duban_find(s, len, "单位", 6) && !duban_find(s, len, "部门", 6)) ||
        !duban_find(s, len, "为", 3))
        return false; /* most items: no role stated, no scan */
    for (size_t a = 0; a < len;) {
        size_t b = clause_end(s, len, a);
        const char *wei = duban_find(s + a, b - a, "为", 3);
        /* the role's noun: …单位, or …部门 ("市经委作为全市域外招商牵头责任部门") */
        const char *unit = wei ? duban_find(wei, (size_t)(s + b - wei), "单位", 6) : NULL;
        if (!unit && wei)
            unit = duban_find(wei, (size_t)(s + b - wei), "部门", 6);
        const char *ue = wei && wei - s >= (ptrdiff_t)a + 3 && duban_starts(wei - 3, 3, "作")
                             ? wei - 3 : wei; /* X作为…: the units end before 作 */
        size_t ua = a;
        if (wei && !duban_find(s + a, (size_t)(ue - s) - a, "、", 3) && ue - (s + a) > 3 * 8)
            ua = jurisdiction_start(s, a, (size_t)(ue - s)); /* "明确工作责任州交通运输局" */
        bool zuowei = ue != wei; /* "X作为…": X names units only, no sentence ("各区要
                                  * 明确一位领导和一个部门作为…") */
        if (zuowei && (ue - (s + ua) > 3 * 12 || duban_find(s + ua, (size_t)(ue - s) - ua, "要", 3)))
            wei = NULL;
        if (wei && unit && ue > s + ua && unit - wei <= 3 * 16 && s + b - (unit + 6) <= 3 &&
            gw_unit_like_end(s + ua, (size_t)(ue - s) - ua)) {
            const char *role = wei + 3;
            size_t rn = (size_t)(unit - role);
            bool lead = contains_any(role, rn, lead_roles), coop = contains_any(role, rn, coop_roles);
            if (lead != coop)
                gw_add_units(s + ua, (size_t)(ue - s) - ua, lead ? &c->lead : &c->coop);
        }
        a = b < len ? b + 3 : len;
    }
    return gw_keep_local_lead(c);
}

/* An item whose first sentence opens with its unit and a lead verb
 * ("县教育局负责开展安全教育…", "由县发改委牵头制定…", "公安局交警大队要
 * 牵头制定…"), or does so after a clause of basis or purpose ("按照…要求，
 * X要牵头制定…"): X is the lead. Only there: "由办公室负责…" later in a
 * requirement names no task's unit. Not a person (…局长负责), not 负责人 or a
 * label (牵头单位：…, found before this). The sentence is read in s[a..end),
 * one printed line of the item. */
bool gw_subject_lead_at(const char *s, size_t a, size_t end, clause_t *c)
{
    static const char *const basis[] = {"按照", "根据", "围绕", "对照", "依据", "为", NULL};
    static const char *const basis_end[] = {"要求", "规定", "部署", "精神", "安排", NULL};
    static const char *const verbs[] = {"负责", "牵头", NULL};
    static const char *const modals[] = {"要", "应当", "应", "须", "必须", "具体", "统一",
                                         "主要", NULL};
    static const char *const not_verb[] = {"人", "同志", "单位", "部门", "领导", "的", NULL};
    while (a < end && s[a] == ' ')
        a++;
    size_t sentence = a;
    while (sentence < end && !duban_at(s, end, sentence, "。") && !duban_at(s, end, sentence, "；") &&
           s[sentence] != '\n')
        sentence += (unsigned char)s[sentence] >= 0xE0 ? 3 : 1;
    const char *comma = duban_find(s + a, sentence - a, "，", 3);
    /* "按工程设计的要求，X负责…": a bare 按 opens a basis when its clause ends
     * like one (按时, 按期 do not) */
    bool by = duban_at(s, end, a, "按") && comma && comma - (s + a) <= 3 * 40 &&
              ends_any(s + a, (size_t)(comma - (s + a)), basis_end);
    if (by || gw_match_any(s + a, sentence - a, basis)) { /* the unit opens the next clause */
        if (!comma || comma - (s + a) > 3 * 40)
            return false;
        a = (size_t)(comma - s) + 3;
    }
    if (duban_at(s, end, a, "由"))
        a += 3;
    size_t lim = sentence - a < 3 * 24 ? sentence - a : 3 * 24;
    const char *v = NULL;
    for (size_t k = 0; verbs[k]; k++) {
        const char *f = duban_find(s + a, lim, verbs[k], 6);
        if (f && (!v || f < v))
            v = f;
    }
    if (!v || gw_match_any(v + 6, (size_t)(s + sentence - v - 6), not_verb))
        return false;
    size_t ue = (size_t)(v - s);
    for (size_t k = 0; modals[k]; k++)
        if (duban_ends(s + a, ue - a, modals[k])) {
            ue -= strlen(modals[k]);
            break;
        }
    if (ue <= a || contains(s + a, ue - a, "，") || contains(s + a, ue - a, "由") ||
        !gw_unit_like_end(s + a, ue - a) || gw_person_title_end(s + a, ue - a))
        return false;
    memset(c, 0, sizeof(*c));
    gw_add_units(s + a, ue - a, &c->lead);
    return gw_keep_local_lead(c);
}

/* subject_lead_at on the item's first printed line, or, when that line is
 * a heading (short, no comma or full stop: "三、监督及考核" over "镇安委会
 * 办公室负责监督…"), on the line below it. */
/* The first of the sentences from s[a] up to end (at most eight) that opens
 * with a unit that 负责 or 牵头s. */
bool gw_later_sentence_lead(const char *s, size_t a, size_t end, clause_t *c)
{
    for (int k = 0; k < 8 && a < end; k++) {
        if (gw_subject_lead_at(s, a, end, c))
            return true;
        const char *stop = duban_find(s + a, end - a, "。", 3);
        if (!stop)
            break;
        a = (size_t)(stop - s) + 3;
    }
    return false;
}

bool gw_subject_lead(const walk_t *w, const char *s, size_t len, clause_t *c)
{
    size_t first_end = len;
    if (w->item.nseg > 1 && w->item.pos[1] > w->item_skip && w->item.pos[1] - w->item_skip < len)
        first_end = w->item.pos[1] - w->item_skip;
    if (gw_subject_lead_at(s, 0, first_end, c))
        return true;
    /* a heading run in before the text ("明确进度、定期报告。…。省政府督查室牵头对
     * 各地…"): a later sentence of the line names the lead */
    const char *stop = duban_find(s, first_end, "。", 3);
    if (stop && stop - s <= 3 * 20 && !contains(s, (size_t)(stop - s), "，") &&
        gw_later_sentence_lead(s, (size_t)(stop - s) + 3, first_end, c))
        return true;
    bool heading = first_end < len && first_end <= 3 * 20 && !contains(s, first_end, "，") &&
                   !contains(s, first_end, "。");
    size_t second_end = w->item.nseg > 2 && w->item.pos[2] - w->item_skip < len
                            ? w->item.pos[2] - w->item_skip : len;
    /* a heading on a line of its own: the paragraph below it ("…产区各级政府要
     * 高度重视，…。各级农业部门要负责指导…") */
    return heading && gw_later_sentence_lead(s, first_end, second_end, c);
}
