/*
 * warden_jail.h — the jail layer's part of the C ABI. Included by warden.h; include warden.h,
 * not this file. The conventions of warden.h apply.
 */
#ifndef WARDEN_JAIL_H
#define WARDEN_JAIL_H

#include "warden.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WARDEN_JAIL_H */
