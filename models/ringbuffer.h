#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace vigil::models {

// A fixed-capacity FIFO over one contiguous allocation: push() overwrites the oldest element
// once full. Index 0 is the oldest element, size()-1 the newest. Memory is allocated once, up
// front, so a day of samples costs exactly capacity * sizeof(T) and never fragments.
// Not thread-safe; used on the UI thread.
template <typename T> class RingBuffer
{
public:
    explicit RingBuffer(std::size_t capacity = 0)
        : m_data(capacity)
    {
    }

    std::size_t capacity() const { return m_data.size(); }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    bool full() const { return m_size == m_data.size(); }

    void push(T value)
    {
        if (m_data.empty())
            return;
        m_data[(m_start + m_size) % m_data.size()] = std::move(value);
        if (m_size < m_data.size())
            ++m_size;
        else
            m_start = (m_start + 1) % m_data.size();
    }

    const T &operator[](std::size_t i) const { return m_data[(m_start + i) % m_data.size()]; }
    T &operator[](std::size_t i) { return m_data[(m_start + i) % m_data.size()]; }
    const T &front() const { return (*this)[0]; }
    const T &back() const { return (*this)[m_size - 1]; }

    // Raw storage for hot loops: element i lives at data()[physical(i)]; walk on with wrap() rather
    // than a modulo per element.
    const T *data() const { return m_data.data(); }
    std::size_t physical(std::size_t i) const { return (m_start + i) % m_data.size(); }
    std::size_t wrap(std::size_t physicalIndex) const
    {
        return physicalIndex + 1 == m_data.size() ? 0 : physicalIndex + 1;
    }

    void clear()
    {
        m_start = 0;
        m_size = 0;
    }

    // The elements in order as (at most) two contiguous ranges [first.first, first.second) then
    // [second.first, second.second): lets hot loops run over plain arrays without a modulo.
    using Span = std::pair<const T *, const T *>;
    std::pair<Span, Span> spans() const
    {
        const T *base = m_data.data();
        const std::size_t cap = m_data.size();
        if (m_start + m_size <= cap)
            return {{base + m_start, base + m_start + m_size}, {base, base}};
        return {{base + m_start, base + cap}, {base, base + (m_start + m_size - cap)}};
    }

private:
    std::vector<T> m_data;
    std::size_t m_start = 0;
    std::size_t m_size = 0;
};

} // namespace vigil::models
