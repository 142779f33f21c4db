// See stable_sort_by.hpp.

#include "stable_sort_by.hpp"

#include <algorithm>
#include <numeric>

namespace upkeep {

std::vector<std::size_t> stable_order(std::size_t n,
                                      bool (*less)(const void* context, std::size_t, std::size_t),
                                      const void* context) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return less(context, a, b); });
    return order;
}

} // namespace upkeep
