#include "base/clock.hpp"

namespace tessera {

CivilTime to_civil(Timestamp t) {
    // Days since 1970-01-01 and seconds into the day, flooring for t < 0.
    std::int64_t days = t / 86400, rest = t % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    // Count from 0000-03-01 in 400-year eras of 146097 days, so the leap day
    // falls at the end of each year (the proleptic Gregorian calendar).
    days += 719468;
    std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    std::int64_t day_of_era = days - era * 146097;
    std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    std::int64_t shifted_month = (5 * day_of_year + 2) / 153;  // 0 = March
    int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    int year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
    return CivilTime{year,
                     month,
                     day,
                     static_cast<int>(rest / 3600),
                     static_cast<int>(rest % 3600 / 60),
                     static_cast<int>(rest % 60)};
}

std::string format_rfc3339(Timestamp t) {
    CivilTime c = to_civil(t);
    char buf[21] = "0000-00-00T00:00:00Z";
    auto put = [&](int at, int width, int value) {
        for (int i = at + width - 1; i >= at; --i, value /= 10) buf[i] = char('0' + value % 10);
    };
    put(0, 4, c.year);
    put(5, 2, c.month);
    put(8, 2, c.day);
    put(11, 2, c.hour);
    put(14, 2, c.minute);
    put(17, 2, c.second);
    return std::string(buf, 20);
}

}  // namespace tessera
