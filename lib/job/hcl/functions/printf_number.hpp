// Numbers printed as Go's fmt prints *big.Float and *big.Int, for format's numeric verbs.
#pragma once

#include <string>

#include "warden/job/hcl/number.hpp"

namespace warden::hcl::fn {

// The flags, width and precision of a printf verb (-1: not given).
struct PrintfSpec {
  bool sharp = false, zero = false, plus = false, minus = false, space = false;
  int width = -1, prec = -1;
};

// %e %E %f %g %G of a *big.Float: exact decimal rounding, sign and padding as Float.Format.
std::string printf_float(const PrintfSpec& spec, char verb, const Number& n);
// %b %d %o %x %X of a *big.Int, with precision as minimum digits and '#' prefixes.
std::string printf_int(const PrintfSpec& spec, char verb, const Number& n);
// big.Float.Text('g', -1) without the sign: what %v prints a number as ("1e+06", "0.5", "Inf").
std::string shortest_g(const Number& n);

}  // namespace warden::hcl::fn
