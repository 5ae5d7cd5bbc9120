/*
 * country_boxes.c: bounding boxes of the country outlines in the
 * gazetteer, for the check that flags imported coordinates which look
 * swapped (a Syrian place given at lat 36, lon 34). See ga_import.h.
 */
#include "gaz/ga_import.h"

#include <string.h>
#include "store/ga_store_gaz.h"

static int cc_index(const char *cc)
{
    if (!cc || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' || cc[2]) return -1;
    return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static void box_cb(const char *country, double w, double s, double e, double n, void *arg)
{
    ga_country_boxes *cb = arg;
    int i = cc_index(country);
    if (i < 0) return;
    ga_cbox *b = &cb->box[i];
    if (b->has) {   /* several outlines of one country: union */
        if (w < b->w) b->w = w;
        if (s < b->s) b->s = s;
        if (e > b->e) b->e = e;
        if (n > b->n) b->n = n;
    } else {
        *b = (ga_cbox){1, w, s, e, n};
    }
    cb->any = 1;
}

ga_rc ga_country_boxes_load(ga_store *st, ga_country_boxes *cb, ga_err *err)
{
    memset(cb, 0, sizeof *cb);
    return ga_store_country_bboxes(st, box_cb, cb, err);
}

static int in_box(const ga_cbox *b, double lon, double lat, double margin)
{
    return lon >= b->w - margin && lon <= b->e + margin && lat >= b->s - margin &&
           lat <= b->n + margin;
}

int ga_country_boxes_swapped(const ga_country_boxes *cb, const char *country, double lon,
                             double lat)
{
    int i = cc_index(country);
    if (!cb->any || i < 0 || !cb->box[i].has) return 0;
    return !in_box(&cb->box[i], lon, lat, 0.5) && in_box(&cb->box[i], lat, lon, 0);
}
