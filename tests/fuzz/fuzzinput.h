// Shared by the fuzz targets: the input as Qt byte arrays, and split in two where a target takes
// two (a channel and a payload: the input's first line or tab-separated field, then the rest).
#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace vigil::fuzz {

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

inline std::pair<QByteArray, QByteArray> splitAt(const QByteArray &input, char separator)
{
    const qsizetype at = input.indexOf(separator);
    if (at < 0)
        return {input, QByteArray()};
    return {input.left(at), input.mid(at + 1)};
}

} // namespace vigil::fuzz
