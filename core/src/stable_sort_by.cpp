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

void sort_days(std::vector<day_point>& days) {
    for (std::size_t i = 1; i < days.size(); ++i)
        for (std::size_t j = i; j > 0 && days[j] < days[j - 1]; --j)
            std::swap(days[j], days[j - 1]);
}

} // namespace upkeep
