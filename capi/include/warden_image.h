/*
 * warden_image.h — the image layer's part of the C ABI. Included by warden.h; include warden.h,
 * not this file. The conventions of warden.h apply.
 */
#ifndef WARDEN_IMAGE_H
#define WARDEN_IMAGE_H

#include "warden.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WARDEN_IMAGE_H */
