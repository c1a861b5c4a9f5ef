/*
 * test_json.c - building JSON documents (harness/util/json.c): members of every kind, hex
 * regions and their chunks, NULL parents, and the file writer.
 */
#include <cJSON.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pim_json.h"
#include "pim_load.h"
#include "testutil.h"

START_TEST(test_members)
{
    pim_jb b = {0};
    cJSON *root = cJSON_CreateObject();
    pim_jb_num(&b, root, "n", 42);
    pim_jb_str(&b, root, "s", "x");
    pim_jb_str(&b, root, "null", NULL); /* NULL is written as "" */
    pim_jb_bool(&b, root, "t", 7);
    cJSON *o = pim_jb_obj(&b, root, "o");
    cJSON *a = pim_jb_arr(&b, o, "a");
    pim_jb_add(&b, a, NULL, cJSON_CreateNumber(1));
    pim_jb_add(&b, o, "k", cJSON_CreateString("v"));
    char *const words[] = {"p", "q"};
    pim_jb_strings(&b, root, "w", words, 2);
    ck_assert_int_eq(b.oom, 0);
    char *text = cJSON_PrintUnformatted(root);
    ck_assert_str_eq(text, "{\"n\":42,\"s\":\"x\",\"null\":\"\",\"t\":true,\"o\":{\"a\":[1],"
                           "\"k\":\"v\"},\"w\":[\"p\",\"q\"]}");
    free(text);
    /* a NULL parent (what a failed add returned) adds nothing and notes nothing */
    pim_jb_num(&b, NULL, "n", 1);
    ck_assert_ptr_null(pim_jb_obj(&b, NULL, "o"));
    ck_assert_int_eq(b.oom, 0);
    /* adding a NULL item is out of memory (the create failed) */
    pim_jb_add(&b, root, "x", NULL);
    ck_assert_int_eq(b.oom, 1);
    cJSON_Delete(root);
}
END_TEST

START_TEST(test_regions)
{
    pim_jb b = {0};
    cJSON *arr = cJSON_CreateArray();
    const uint8_t bytes[5] = {0x00, 0x0f, 0xa0, 0xff, 0x12};
    pim_jb_regions(&b, arr, 0x100, bytes, 5, 2); /* chunks of 2: 2 + 2 + 1 */
    pim_jb_regions(&b, arr, 7, bytes, 3, 0);     /* one region */
    ck_assert_int_eq(b.oom, 0);
    char *text = cJSON_PrintUnformatted(arr);
    ck_assert_str_eq(text, "[{\"addr\":256,\"hex\":\"000f\"},{\"addr\":258,\"hex\":\"a0ff\"},"
                           "{\"addr\":260,\"hex\":\"12\"},{\"addr\":7,\"hex\":\"000fa0\"}]");
    free(text);
    cJSON_Delete(arr);
}
END_TEST

START_TEST(test_write_file)
{
    char path[] = "/tmp/test_json-XXXXXX";
    const int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "a", 1);
    ck_assert_int_eq(pim_json_write_file(path, root), 0);
    char *text;
    size_t n;
    pim_error e;
    ck_assert_int_eq(pim_read_file(path, &text, &n, &e), PIM_OK);
    ck_assert_str_eq(text, "{\n\t\"a\":\t1\n}\n"); /* cJSON_Print, then a newline */
    free(text);
    unlink(path);
    ck_assert_int_eq(pim_json_write_file("/nonexistent-dir/x.json", root), -1);
    cJSON_Delete(root);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_members);
    tcase_add_test(core, test_regions);
    tcase_add_test(core, test_write_file);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return tu_run_suite(json_suite());
}
