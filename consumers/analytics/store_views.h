/* consumers/analytics/store_views.h: the SQL of the store's views
 * (store_views.c says what each view means). */
#ifndef DUBAN_STORE_VIEWS_H
#define DUBAN_STORE_VIEWS_H

/* Drops and creates task_current, task_figures, department_figures. */
extern const char *const duban_store_views_sql;

#endif
